package io.spoils.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON access log on a real server: one line per request with its request id, route
 * template, status, duration and principal; no token and no planted patient data in any line.
 */
@ExtendWith(VertxExtension.class)
@ExtendWith(DefaultTrees.class)
class AccessLogTest {

  private static final String TOKEN = "acc3ss-l0g-t0ken";
  private static final String PATIENT = "DOE^JANE";
  private static final Logger ACCESS = Logger.getLogger("io.spoils.access");
  private static final List<String> lines = new CopyOnWriteArrayList<>();
  private static final Handler CAPTURE = new Handler() {
    @Override
    public void publish(LogRecord r) {
      lines.add(r.getMessage());
    }

    @Override
    public void flush() { }

    @Override
    public void close() { }
  };
  private static SecuredServer server;

  @BeforeAll
  static void start(XgbTreeGrader trees, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("tokens");
    Files.writeString(file, TokenAuthenticationTest.sha256(TOKEN) + " models:read\n");
    ACCESS.addHandler(CAPTURE);
    server = SecuredServer.start(Vertx.vertx(), trees, new SecurityOptions(
        new AuthOptions(Optional.of(file), Optional.empty(), Optional.empty(), Optional.empty(),
            false, false), TlsOptions.none(), HostOptions.any()));
  }

  @AfterAll
  static void stop() throws Exception {
    ACCESS.removeHandler(CAPTURE);
    server.close();
  }

  private static JsonObject lineOf(String requestId) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      for (String l : lines) {
        JsonObject j = new JsonObject(l);
        if (requestId.equals(j.getString("request_id"))) {
          return j;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no access line for " + requestId + " in " + lines);
  }

  @Test
  void http_lineWithRequestIdRouteStatusAndPrincipal() throws Exception {
    HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/v1/models"))
        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + TOKEN)
        .header("X-Request-Id", "req-42").build());
    assertEquals(200, r.statusCode());
    assertEquals("req-42", r.headers().firstValue("X-Request-Id").orElse(""));
    JsonObject line = lineOf("req-42");
    assertEquals("/v1/models", line.getString("route"));
    assertEquals(200, line.getInteger("status"));
    assertEquals("GET", line.getString("method"));
    assertTrue(line.getString("principal").startsWith("token:"));
    assertTrue(line.getDouble("duration_ms") >= 0);
  }

  @Test
  void http_refusedAndPlantedPatientData_loggedWithoutIt() throws Exception {
    server.send(HttpRequest.newBuilder(server.uri("/v1/received/" + "DOE%5EJANE?name="
        + PATIENT.replace("^", "%5E"))).timeout(Duration.ofSeconds(30))
        .header("X-Request-Id", "req-planted").header("Authorization", "Bearer " + TOKEN
            + "x").build());
    JsonObject line = lineOf("req-planted");
    assertEquals(401, line.getInteger("status"));
    assertEquals("/v1/received/{id}", line.getString("route"));
    String generated = server.get("/health/live", null).headers().firstValue("X-Request-Id")
        .orElseThrow();
    assertEquals("/health/live", lineOf(generated).getString("route"));
    for (String l : lines) {
      assertFalse(l.contains(TOKEN), l);
      assertFalse(l.contains("DOE"), l);
    }
  }

  @Test
  void grpc_lineWithMethodAndGrpcStatus() throws Exception {
    assertThrows(StatusRuntimeException.class,
        () -> server.stub(null).listModels(ListModelsRequest.getDefaultInstance()));
    for (int i = 0; i < 100; i++) {
      for (String l : lines) {
        JsonObject j = new JsonObject(l);
        if ("/spoils.v1.AnalysisService/ListModels".equals(j.getString("route"))
            && "grpc".equals(j.getString("transport"))) {
          assertEquals(16, j.getInteger("status"), l);
          return;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no gRPC access line in " + lines);
  }

  @Test
  void corsPreflight_logged(XgbTreeGrader trees) throws Exception {
    try (SecuredServer cors = SecuredServer.start(Vertx.vertx(), trees,
        io.spoils.gateway.config.ServerOptions.defaults()
            .withCorsAllowedOrigins(List.of("https://viewer.example.org")),
        SecurityOptions.none())) {
      HttpResponse<String> r = cors.send(HttpRequest.newBuilder(cors.uri("/v1/analyses"))
          .timeout(Duration.ofSeconds(30)).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
          .header("Origin", "https://viewer.example.org")
          .header("Access-Control-Request-Method", "POST")
          .header("X-Request-Id", "req-preflight").build());
      assertEquals(204, r.statusCode());
      JsonObject line = lineOf("req-preflight");
      assertEquals("OPTIONS", line.getString("method"));
      assertEquals(204, line.getInteger("status"));
    }
  }
}
