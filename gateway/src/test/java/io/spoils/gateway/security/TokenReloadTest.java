package io.spoils.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.config.AuthOptions;
import io.spoils.gateway.config.HostOptions;
import io.spoils.gateway.config.SecurityOptions;
import io.spoils.gateway.config.TlsOptions;
import io.spoils.gateway.testing.DefaultTrees;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tokens file is re-read when it changes: a rotated token works and the revoked one is
 * refused without a restart; a malformed change keeps the current tokens.
 */
@ExtendWith(DefaultTrees.class)
class TokenReloadTest {

  private static final String OLD = "old-t0ken-rotated-away";
  private static final String NEW = "new-t0ken-rotated-in";

  @TempDir
  Path dir;

  private static AuthOptions tokens(Path file, double reloadSeconds) {
    return new AuthOptions(Optional.of(file), Optional.empty(), Optional.empty(),
        Optional.empty(), false, false, reloadSeconds);
  }

  private static boolean allowed(Authenticator a, String token) {
    return a.decide(false, "/v1/models", false, "Bearer " + token)
        instanceof Authenticator.Allowed;
  }

  @Test
  void check_changedFile_replacesTokensAndKeepsThemOnAMalformedChange() throws Exception {
    Path file = dir.resolve("tokens");
    Files.writeString(file, TokenAuthenticationTest.sha256(OLD) + " models:read\n");
    AuthOptions options = tokens(file, 30);
    Authenticator authenticator = Authenticator.load(options);
    CredentialFiles files = new CredentialFiles(options, authenticator);
    Vertx vertx = Vertx.vertx();
    try {
      assertFalse(SecuredServer.await(files.check(vertx)), "unchanged");
      Files.writeString(file, "sha256:nothex models:read\n");
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> SecuredServer.await(files.check(vertx)));
      assertTrue(e.getCause().getMessage().contains("line 1"), e.getCause().getMessage());
      assertFalse(e.getCause().getMessage().contains("nothex"), e.getCause().getMessage());
      assertTrue(allowed(authenticator, OLD), "the current tokens stay");
      Files.writeString(file, "# rotated\n" + TokenAuthenticationTest.sha256(NEW)
          + " models:read\n");
      assertTrue(SecuredServer.await(files.check(vertx)));
      assertTrue(allowed(authenticator, NEW));
      assertInstanceOf(Authenticator.Unauthenticated.class,
          authenticator.decide(false, "/v1/models", false, "Bearer " + OLD));
    } finally {
      vertx.close();
    }
  }

  @Test
  void server_rotatedTokensFile_takesEffectWithoutRestart(XgbTreeGrader trees)
      throws Exception {
    Path file = dir.resolve("tokens");
    Files.writeString(file, TokenAuthenticationTest.sha256(OLD) + " models:read\n");
    try (SecuredServer server = SecuredServer.start(Vertx.vertx(), trees, new SecurityOptions(
        tokens(file, 0.1), TlsOptions.none(), HostOptions.any()))) {
      assertEquals(200, server.get("/v1/models", "Bearer " + OLD).statusCode());
      assertEquals(401, server.get("/v1/models", "Bearer " + NEW).statusCode());
      Files.writeString(file, TokenAuthenticationTest.sha256(NEW) + " models:read\n");
      int status = 401;
      for (int i = 0; i < 200 && status != 200; i++) {
        Thread.sleep(50);
        status = server.get("/v1/models", "Bearer " + NEW).statusCode();
      }
      assertEquals(200, status, "the new token is accepted once the file is re-read");
      assertEquals(401, server.get("/v1/models", "Bearer " + OLD).statusCode());
    }
  }
}
