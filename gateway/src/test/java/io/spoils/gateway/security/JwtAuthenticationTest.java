package io.spoils.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.config.AuthOptions;
import io.spoils.gateway.config.HostOptions;
import io.spoils.gateway.config.SecurityOptions;
import io.spoils.gateway.config.TlsOptions;
import io.spoils.gateway.testing.DefaultTrees;
import io.spoils.proto.v1.ListModelsRequest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * JWTs signed in the test (RS256 and ES256 keys made by nimbus, their public halves in a JWKS
 * file) on a real server over HTTP and gRPC: valid, expired, not yet valid, wrong audience or
 * issuer, an unknown key, HS256, a missing scope.
 */
@ExtendWith(VertxExtension.class)
@ExtendWith(DefaultTrees.class)
class JwtAuthenticationTest {

  private static final String ISSUER = "https://idp.hospital.example";
  private static final String AUDIENCE = "spoils";
  private static RSAKey rsa;
  private static ECKey ec;
  private static SecuredServer server;

  @BeforeAll
  static void start(XgbTreeGrader trees, @TempDir Path dir) throws Exception {
    rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    Path jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, new JWKSet(List.<JWK>of(rsa.toPublicJWK(), ec.toPublicJWK()))
        .toString());
    AuthOptions auth = new AuthOptions(Optional.empty(), Optional.of(jwks), Optional.of(ISSUER),
        Optional.of(AUDIENCE), false, false);
    server = SecuredServer.start(Vertx.vertx(), trees,
        new SecurityOptions(auth, TlsOptions.none(), HostOptions.any()));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static JWTClaimsSet.Builder claims(String scope) {
    long now = System.currentTimeMillis();
    return new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject("dr-who")
        .issueTime(new Date(now)).expirationTime(new Date(now + 600_000)).claim("scope", scope);
  }

  private static String sign(JWTClaimsSet claims, JWSAlgorithm alg, String kid, JWSSigner signer)
      throws JOSEException {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims);
    jwt.sign(signer);
    return "Bearer " + jwt.serialize();
  }

  private static String rs256(JWTClaimsSet claims) throws JOSEException {
    return sign(claims, JWSAlgorithm.RS256, rsa.getKeyID(), new RSASSASigner(rsa));
  }

  private static String es256(JWTClaimsSet claims) throws JOSEException {
    return sign(claims, JWSAlgorithm.ES256, ec.getKeyID(), new ECDSASigner(ec));
  }

  private static void assert401(String authorization, String reason) throws Exception {
    HttpResponse<String> r = server.get("/v1/models", authorization);
    assertEquals(401, r.statusCode(), r.body());
    String detail = new JsonObject(r.body()).getString("detail");
    assertTrue(detail.contains(reason), detail);
    assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
  }

  @Test
  void http_validRs256AndEs256_200() throws Exception {
    assertEquals(200, server.get("/v1/models", rs256(claims("models:read").build()))
        .statusCode());
    assertEquals(200, server.get("/v1/models", es256(claims("analyze models:read").build()))
        .statusCode());
  }

  @Test
  void http_accessTokenType_200() throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(rsa.getKeyID())
        .type(new com.nimbusds.jose.JOSEObjectType("at+jwt")).build(),
        claims("models:read").build());
    jwt.sign(new RSASSASigner(rsa));
    assertEquals(200, server.get("/v1/models", "Bearer " + jwt.serialize()).statusCode());
  }

  @Test
  void http_missing_401() throws Exception {
    assert401(null, "bearer token");
  }

  @Test
  void http_expired_401() throws Exception {
    long now = System.currentTimeMillis();
    assert401(rs256(claims("models:read").expirationTime(new Date(now - 3_600_000)).build()),
        "expired");
  }

  @Test
  void http_notYetValid_401() throws Exception {
    long now = System.currentTimeMillis();
    assert401(es256(claims("models:read").notBeforeTime(new Date(now + 3_600_000)).build()),
        "not valid yet");
  }

  @Test
  void http_wrongAudienceOrIssuer_401() throws Exception {
    assert401(rs256(claims("models:read").audience("another-service").build()), "aud");
    assert401(rs256(claims("models:read").issuer("https://evil.example").build()), "issuer");
  }

  @Test
  void http_unknownKeyOrHs256_401() throws Exception {
    RSAKey stranger = new RSAKeyGenerator(2048).keyID(rsa.getKeyID()).generate();
    assert401(sign(claims("models:read").build(), JWSAlgorithm.RS256, rsa.getKeyID(),
        new RSASSASigner(stranger)), "signature");
    byte[] secret = new byte[32];
    assert401(sign(claims("models:read").build(), JWSAlgorithm.HS256, "hmac",
        new MACSigner(secret)), "signature");
    assert401("Bearer not.a.jwt", "not a signed JWT");
  }

  @Test
  void http_missingScope_403() throws Exception {
    assertEquals(403, server.get("/v1/models", rs256(claims("analyze").build())).statusCode());
    assertEquals(200, server.get("/health/live", null).statusCode());
  }

  @Test
  void grpc_validJwt_listsModels() throws Exception {
    assertTrue(server.stub(es256(claims("models:read").build()))
        .listModels(ListModelsRequest.getDefaultInstance()).getModelsCount() > 0);
  }

  @Test
  void grpc_expiredJwt_unauthenticated() throws Exception {
    long now = System.currentTimeMillis();
    String expired = rs256(claims("models:read").expirationTime(new Date(now - 3_600_000))
        .build());
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> server.stub(expired).listModels(ListModelsRequest.getDefaultInstance()));
    assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("expired"));
  }

  @Test
  void grpc_wrongAudience_unauthenticated() throws Exception {
    String other = rs256(claims("models:read").audience("pacs").build());
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> server.stub(other).listModels(ListModelsRequest.getDefaultInstance()));
    assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
  }
}
