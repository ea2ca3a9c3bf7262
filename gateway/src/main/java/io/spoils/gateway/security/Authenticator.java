package io.spoils.gateway.security;

import io.spoils.gateway.config.AuthOptions;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether a request may proceed: the route's {@link AccessPolicy.Need}, the bearer
 * credential of its {@code Authorization} header (a JWT when it has the JWS compact form and a
 * JWKS is configured, else an API token), and the scope. Synchronous and CPU-only (files are
 * read by {@link #load}, and re-read by {@link CredentialFiles}, which hands the new ones to
 * {@link #replace}), so it runs on the event loop; thread-safe. Reasons never contain the
 * credential.
 */
public final class Authenticator {

  /** Longest bearer token accepted, characters: larger headers are refused unread. */
  static final int MAX_TOKEN_CHARS = 8192;

  /** The outcome for one request. */
  public sealed interface Decision {
  }

  /** Let through; the principal is empty on an open route or with authentication off. */
  public record Allowed(Optional<Principal> principal) implements Decision {
  }

  /** No credential, or one that is not valid here: 401. */
  public record Unauthenticated(String reason, boolean credentialGiven) implements Decision {
  }

  /** A valid credential without the scope the route needs: 403. */
  public record Forbidden(Principal principal, Scope needed) implements Decision {
  }

  private final AccessPolicy policy;
  private volatile Optional<ApiTokens> tokens;
  private volatile Optional<JwtVerifier> jwt;

  public Authenticator(AccessPolicy policy, Optional<ApiTokens> tokens,
      Optional<JwtVerifier> jwt) {
    this.policy = policy;
    this.tokens = tokens;
    this.jwt = jwt;
  }

  /**
   * Reads the files {@code options} name (blocking: at start-up).
   *
   * @throws io.spoils.feature.InvalidInputException for an unreadable or malformed file
   */
  public static Authenticator load(AuthOptions options) {
    return new Authenticator(new AccessPolicy(options),
        options.tokensFile().map(ApiTokens::load),
        options.jwksFile().map(f -> JwtVerifier.load(f, options.issuer().orElseThrow(),
            options.audience().orElseThrow())));
  }

  /**
   * Uses {@code newTokens} and {@code newJwt} from now on, each where it is present and this
   * authenticator has one (a reload never turns authentication on or off).
   */
  void replace(Optional<ApiTokens> newTokens, Optional<JwtVerifier> newJwt) {
    if (tokens.isPresent() && newTokens.isPresent()) {
      tokens = newTokens;
    }
    if (jwt.isPresent() && newJwt.isPresent()) {
      jwt = newJwt;
    }
  }

  /** Whether any credential is checked. */
  public boolean enabled() {
    return tokens.isPresent() || jwt.isPresent();
  }

  /**
   * @param post whether the method is POST
   * @param path the raw request path
   * @param grpc whether it goes to gRPC
   * @param authorization the {@code Authorization} header, or null
   */
  public Decision decide(boolean post, String path, boolean grpc, String authorization) {
    if (!enabled()) {
      return new Allowed(Optional.empty());
    }
    AccessPolicy.Need need = policy.need(post, path, grpc);
    if (need.open()) {
      return new Allowed(Optional.empty());
    }
    if (authorization == null || authorization.isBlank()) {
      return new Unauthenticated("this route needs a bearer token (Authorization: Bearer ...)",
          false);
    }
    Principal principal;
    try {
      principal = authenticate(authorization.trim());
    } catch (CredentialException e) {
      return new Unauthenticated(e.getMessage(), true);
    }
    if (need.scope().isPresent() && !principal.has(need.scope().get())) {
      return new Forbidden(principal, need.scope().get());
    }
    return new Allowed(Optional.of(principal));
  }

  private Principal authenticate(String authorization) {
    if (authorization.length() < 7
        || !authorization.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      throw new CredentialException("the Authorization header must be Bearer <token>");
    }
    String token = authorization.substring(7).trim();
    if (token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
      throw new CredentialException("the bearer token is empty or longer than "
          + MAX_TOKEN_CHARS + " characters");
    }
    Optional<JwtVerifier> j = jwt;
    if (j.isPresent() && token.chars().filter(c -> c == '.').count() == 2) {
      return j.get().verify(token);
    }
    return tokens.flatMap(t -> t.find(token)).orElseThrow(() ->
        new CredentialException("the bearer token is not valid here"));
  }
}
