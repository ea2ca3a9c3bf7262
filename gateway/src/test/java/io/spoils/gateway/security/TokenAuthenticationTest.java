package io.spoils.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.config.AuthOptions;
import io.spoils.gateway.config.HostOptions;
import io.spoils.gateway.config.SecurityOptions;
import io.spoils.gateway.config.TlsOptions;
import io.spoils.gateway.testing.DefaultTrees;
import io.spoils.proto.v1.AnalyzeRequest;
import io.spoils.proto.v1.ListModelsRequest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * API tokens from a file on a real server, over HTTP (JDK client) and gRPC (grpc-java): valid,
 * missing, wrong, a missing scope, open health and metrics, and no token in any log record.
 */
@ExtendWith(VertxExtension.class)
@ExtendWith(DefaultTrees.class)
class TokenAuthenticationTest {

  static final String ANALYST = "analyst-0f3c9e2a7b41d85e";
  static final String READER = "reader-7c1d93aa02be4f66";
  static final String ADMIN = "admin-59e0b7c4d2a81f37";
  private static SecuredServer server;
  private static final List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
  private static final Handler CAPTURE = new Handler() {
    @Override
    public void publish(LogRecord r) {
      logged.add(String.valueOf(r.getMessage()) + " " + r.getThrown());
    }

    @Override
    public void flush() { }

    @Override
    public void close() { }
  };

  static String sha256(String token) {
    return "sha256:" + HexFormat.of().formatHex(ApiTokens.sha256(token));
  }

  @BeforeAll
  static void start(XgbTreeGrader trees, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("tokens");
    Files.writeString(file, "# SPOILS API tokens\n\n" + sha256(ANALYST) + " analyze,models:read\n"
        + sha256(READER) + " results:read\n" + sha256(ADMIN) + " admin\n");
    AuthOptions auth = new AuthOptions(Optional.of(file), Optional.empty(), Optional.empty(),
        Optional.empty(), false, false);
    Logger.getLogger("").addHandler(CAPTURE);
    server = SecuredServer.start(Vertx.vertx(), trees,
        new SecurityOptions(auth, TlsOptions.none(), HostOptions.any()));
  }

  @AfterAll
  static void stop() throws Exception {
    Logger.getLogger("").removeHandler(CAPTURE);
    server.close();
    for (String line : logged) {
      for (String token : List.of(ANALYST, READER, ADMIN)) {
        assertFalse(line.contains(token), "a token reached the log: " + line);
      }
    }
  }

  private static String bearer(String token) {
    return "Bearer " + token;
  }

  @Test
  void http_noToken_401ProblemWithChallenge() throws Exception {
    HttpResponse<String> r = server.get("/v1/models", null);
    assertEquals(401, r.statusCode());
    assertEquals("Bearer realm=\"spoils\"", r.headers().firstValue("WWW-Authenticate").orElse(""));
    assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
    assertEquals(401, new JsonObject(r.body()).getInteger("status"));
  }

  @Test
  void http_validToken_200() throws Exception {
    assertEquals(200, server.get("/v1/models", bearer(ANALYST)).statusCode());
    assertEquals(404, server.get("/v1/received", bearer(READER)).statusCode(),
        "results:read reaches the route (404: the C-STORE listener is off)");
  }

  @Test
  void http_wrongToken_401InvalidToken() throws Exception {
    HttpResponse<String> r = server.get("/v1/models", bearer("guess-" + ANALYST));
    assertEquals(401, r.statusCode());
    assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("")
        .contains("error=\"invalid_token\""));
    assertFalse(r.body().contains(ANALYST));
    assertEquals(401, server.get("/v1/models", "Basic " + ANALYST).statusCode());
  }

  @Test
  void http_missingScope_403InsufficientScope() throws Exception {
    HttpResponse<String> r = server.get("/v1/received", bearer(ANALYST));
    assertEquals(403, r.statusCode());
    assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("")
        .contains("error=\"insufficient_scope\", scope=\"results:read\""));
    assertEquals(403, server.get("/v1/analyses/abc/events", bearer(ANALYST)).statusCode());
    assertEquals(403, server.get("/v1/models", bearer(READER)).statusCode());
  }

  @Test
  void http_admin_hasEveryScope() throws Exception {
    assertEquals(200, server.get("/v1/models", bearer(ADMIN)).statusCode());
    assertEquals(404, server.get("/v1/received/none", bearer(ADMIN)).statusCode());
  }

  @Test
  void http_healthAndMetrics_openWithoutToken() throws Exception {
    assertEquals(200, server.get("/health/live", null).statusCode());
    assertTrue(server.get("/health/ready", null).statusCode() != 401);
    assertEquals(200, server.get("/metrics", null).statusCode());
  }

  @Test
  void http_unknownPath_needsACredentialBeforeItsAnswer() throws Exception {
    assertEquals(401, server.get("/v1/nothing", null).statusCode());
    assertEquals(401, server.get("/health/../v1/received", null).statusCode());
    assertEquals(404, server.get("/v1/nothing", bearer(READER)).statusCode());
  }

  @Test
  void http_postAnalysis_needsAnalyzeScope() throws Exception {
    String boundary = "b0undary";
    byte[] form = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; "
        + "filename=\"a.dcm\"\r\nContent-Type: application/dicom\r\n\r\nnot dicom\r\n--"
        + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    HttpRequest.Builder post = HttpRequest.newBuilder(server.uri("/v1/analyses"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(form));
    assertEquals(401, server.send(post.build()).statusCode());
    assertEquals(403, server.send(post.copy().header("Authorization", bearer(READER)).build())
        .statusCode());
    // past authentication, the route judges the study itself
    assertEquals(400, server.send(post.copy().header("Authorization", bearer(ANALYST)).build())
        .statusCode());
  }

  @Test
  void http_openApi_documentsTheBearerSchemeAndOpenRoutes() throws Exception {
    assertEquals(401, server.get("/v1/openapi.json", null).statusCode());
    JsonObject doc = new JsonObject(server.get("/v1/openapi.json", bearer(READER)).body());
    assertEquals("bearer", doc.getJsonObject("components").getJsonObject("securitySchemes")
        .getJsonObject("bearer").getString("scheme"));
    JsonObject paths = doc.getJsonObject("paths");
    assertTrue(paths.getJsonObject("/health/live").getJsonObject("get").getJsonArray("security")
        .isEmpty());
    assertEquals("analyze", paths.getJsonObject("/v1/analyses").getJsonObject("post")
        .getJsonArray("security").getJsonObject(0).getJsonArray("bearer").getString(0));
  }

  @Test
  void grpcWeb_tokenInHeader_likeABrowserClient() throws Exception {
    byte[] message = ListModelsRequest.getDefaultInstance().toByteArray();
    java.nio.ByteBuffer frame = java.nio.ByteBuffer.allocate(5 + message.length);
    frame.put((byte) 0).putInt(message.length).put(message);
    HttpRequest.Builder call = HttpRequest.newBuilder(
            server.uri("/spoils.v1.AnalysisService/ListModels"))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/grpc-web+proto")
        .header("X-Grpc-Web", "1").POST(HttpRequest.BodyPublishers.ofByteArray(frame.array()));
    HttpResponse<String> refused = server.send(call.build());
    assertEquals("16", refused.headers().firstValue("grpc-status").orElse(""));
    HttpResponse<String> served = server.send(call.copy()
        .header("Authorization", bearer(ANALYST)).build());
    assertEquals(200, served.statusCode());
    assertTrue(served.body().contains("grpc-status:0"), "trailer frame of a served call");
  }

  @Test
  void grpc_noToken_unauthenticated() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> server.stub(null).listModels(ListModelsRequest.getDefaultInstance()));
    assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("bearer token"));
  }

  @Test
  void grpc_validToken_listsModels() {
    assertTrue(server.stub(bearer(ANALYST)).listModels(ListModelsRequest.getDefaultInstance())
        .getModelsCount() > 0);
  }

  @Test
  void grpc_wrongToken_unauthenticated() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> server.stub(bearer("nope")).listModels(ListModelsRequest.getDefaultInstance()));
    assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
  }

  @Test
  void grpc_missingScope_permissionDenied() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> server.stub(bearer(READER)).analyze(AnalyzeRequest.getDefaultInstance()).next());
    assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("analyze"));
  }

  @Test
  void grpc_analyzeScope_reachesTheService() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> server.stub(bearer(ANALYST)).analyze(AnalyzeRequest.getDefaultInstance()).next());
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
  }
}
