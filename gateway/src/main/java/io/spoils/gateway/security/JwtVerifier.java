package io.spoils.gateway.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.spoils.feature.InvalidInputException;
import java.io.IOException;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies JWTs (RS256 or ES256, JWS compact form) with nimbus-jose-jwt: the signature against a
 * key of a JWKS file, then (nimbus's {@code DefaultJWTClaimsVerifier}) the issuer, the audience,
 * {@code exp} (required) and {@code nbf}, with {@value #SKEW_SECONDS} s of clock skew. Scopes come
 * from the {@code scope} claim (space-separated, RFC 8693) or {@code scp} (a list or a string);
 * unknown scopes are ignored. Synchronous and CPU-only once loaded, so it may run on the event
 * loop; thread-safe.
 */
public final class JwtVerifier {

  /** Accepted clock difference between the issuer and this server, seconds. */
  static final int SKEW_SECONDS = 60;

  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
  private final String issuer;
  private final String audience;

  /**
   * @param keys the signing keys
   * @param issuer the {@code iss} accepted
   * @param audience the {@code aud} accepted (one of the token's audiences)
   */
  public JwtVerifier(JWKSet keys, String issuer, String audience) {
    this.issuer = issuer;
    this.audience = audience;
    // typ: none, JWT, or at+jwt (RFC 9068 access tokens, as several identity providers issue)
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
        new JOSEObjectType("at+jwt"), null));
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
        Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), new ImmutableJWKSet<>(keys)));
    DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(audience,
        new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("exp"));
    claims.setMaxClockSkew(SKEW_SECONDS);
    processor.setJWTClaimsSetVerifier(claims);
  }

  /**
   * Reads the JWKS file (blocking: call it at start-up).
   *
   * @throws InvalidInputException for an unreadable file or one that is not a JWK set
   */
  public static JwtVerifier load(Path jwks, String issuer, String audience) {
    try {
      return new JwtVerifier(JWKSet.load(jwks.toFile()), issuer, audience);
    } catch (IOException | ParseException e) {
      throw new InvalidInputException("cannot read the JWKS file " + jwks
          + " as a JSON Web Key Set", e);
    }
  }

  /**
   * The principal of {@code token}.
   *
   * @throws CredentialException when it is not a JWT, or is not valid here (the message says why,
   *     without the token or its claims)
   */
  public Principal verify(String token) {
    JWTClaimsSet claims;
    try {
      claims = processor.process(token, null);
    } catch (ParseException e) {
      throw new CredentialException("the bearer token is not a signed JWT");
    } catch (BadJWTException e) {
      throw new CredentialException(claimsReason(token));
    } catch (BadJOSEException | JOSEException e) {
      throw new CredentialException("the JWT's signature does not verify with a key of the "
          + "JWKS (RS256 or ES256 only)");
    }
    String subject = claims.getSubject() == null ? "jwt" : claims.getSubject();
    return new Principal("jwt:" + printable(subject), scopes(claims));
  }

  /** Why the claims of a token whose signature verified were refused. */
  private String claimsReason(String token) {
    try {
      JWTClaimsSet c = SignedJWT.parse(token).getJWTClaimsSet();
      long now = System.currentTimeMillis();
      Date exp = c.getExpirationTime();
      if (exp == null) {
        return "the JWT has no expiry (exp)";
      }
      if (exp.getTime() + SKEW_SECONDS * 1000L < now) {
        return "the JWT has expired";
      }
      Date nbf = c.getNotBeforeTime();
      if (nbf != null && nbf.getTime() - SKEW_SECONDS * 1000L > now) {
        return "the JWT is not valid yet (nbf)";
      }
      if (!issuer.equals(c.getIssuer())) {
        return "the JWT's issuer is not the one trusted here";
      }
      if (c.getAudience() == null || !c.getAudience().contains(audience)) {
        return "the JWT is not meant for this service (aud)";
      }
    } catch (ParseException e) {
      // fall through to the generic reason
    }
    return "the JWT's claims are not valid here";
  }

  private static Set<Scope> scopes(JWTClaimsSet claims) {
    Set<Scope> out = EnumSet.noneOf(Scope.class);
    Object scope = claims.getClaim("scope");
    Object scp = claims.getClaim("scp");
    for (Object value : new Object[] {scope, scp}) {
      if (value instanceof String s) {
        for (String part : s.trim().split("\\s+")) {
          Scope.parse(part).ifPresent(out::add);
        }
      } else if (value instanceof List<?> list) {
        list.forEach(o -> Scope.parse(String.valueOf(o)).ifPresent(out::add));
      }
    }
    return out;
  }

  private static String printable(String s) {
    String cut = s.length() > 64 ? s.substring(0, 64) : s;
    return cut.replaceAll("[^\\x21-\\x7E]", "?");
  }
}
