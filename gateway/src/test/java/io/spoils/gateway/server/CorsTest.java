package io.spoils.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.service.AnalysisService;
import io.spoils.gateway.testing.ExampleBackend;
import io.spoils.proto.v1.ListModelsRequest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CORS ({@link Cors}) on a real server and socket: preflights, the headers of actual HTTP and
 * gRPC-Web requests, refused origins, and the default of no CORS at all.
 */
@ExtendWith(VertxExtension.class)
class CorsTest {

  private static final String VIEWER = "https://viewer.example.org";
  private static byte[] slice;
  @RegisterExtension
  final StartedServer servers = new StartedServer();
  private TestServer server;

  @BeforeAll
  static void load() throws Exception {
    slice = TestDicom.example();
  }

  private void start(Vertx vertx, List<String> origins) throws Exception {
    server = servers.start(vertx, new ExampleBackend(),
        ServerOptions.defaults().withCorsAllowedOrigins(origins));
  }

  private HttpResponse<String> preflight(String path, String origin, String method,
      String headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path))
        .timeout(Duration.ofSeconds(30)).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", origin).header("Access-Control-Request-Method", method);
    if (headers != null) {
      b.header("Access-Control-Request-Headers", headers);
    }
    return server.send(b.build());
  }

  private static Optional<String> header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name);
  }

  @Test
  void preflight_allowedOrigin_answers204WithMethodsAndHeaders(Vertx vertx) throws Exception {
    // configured origins are compared case-insensitively: one is given in upper case
    start(vertx, List.of(VIEWER.toUpperCase(java.util.Locale.ROOT), "http://localhost:5173"));
    HttpResponse<String> r = preflight("/v1/analyses", VIEWER, "POST", "content-type, accept");
    assertEquals(204, r.statusCode(), r.body());
    assertEquals(VIEWER, header(r, "Access-Control-Allow-Origin").orElse(""));
    assertEquals("GET, POST", header(r, "Access-Control-Allow-Methods").orElse(""));
    assertEquals("content-type, accept", header(r, "Access-Control-Allow-Headers").orElse(""));
    assertEquals("600", header(r, "Access-Control-Max-Age").orElse(""));
    assertTrue(header(r, "Vary").orElse("").contains("Origin"));
    assertFalse(header(r, "Access-Control-Allow-Credentials").isPresent());
    // gRPC-Web's preflight: the method path and its own headers
    HttpResponse<String> web = preflight("/spoils.v1.AnalysisService/Analyze",
        "http://localhost:5173", "POST", "content-type,x-grpc-web,x-user-agent,grpc-timeout");
    assertEquals(204, web.statusCode(), web.body());
    assertEquals("http://localhost:5173", header(web, "Access-Control-Allow-Origin").orElse(""));
    assertEquals("content-type,x-grpc-web,x-user-agent,grpc-timeout",
        header(web, "Access-Control-Allow-Headers").orElse(""));
  }

  @Test
  void actualRequest_allowedOrigin_allowsAndExposesGrpcAndRetryAfter(Vertx vertx)
      throws Exception {
    start(vertx, List.of(VIEWER));
    HttpResponse<String> models = server.send(HttpRequest.newBuilder(server.uri("/v1/models"))
        .header("Origin", VIEWER).build());
    assertEquals(200, models.statusCode());
    assertEquals(VIEWER, header(models, "Access-Control-Allow-Origin").orElse(""));
    String exposed = header(models, "Access-Control-Expose-Headers").orElse("");
    for (String h : List.of("grpc-status", "grpc-message", "Retry-After")) {
      assertTrue(exposed.contains(h), exposed);
    }
    // the streaming analysis (SSE), and a problem answer, carry them too
    HttpResponse<String> sse = server.send(server.post("/v1/analyses", "application/dicom", slice)
        .header("Accept", "text/event-stream").header("Origin", VIEWER).build());
    assertEquals(200, sse.statusCode(), sse.body());
    assertEquals(VIEWER, header(sse, "Access-Control-Allow-Origin").orElse(""));
    assertTrue(sse.body().contains("event: summary"));
    HttpResponse<String> bad = server.send(server.post("/v1/analyses?odi=400&nrs=1",
        "application/dicom", slice).header("Origin", VIEWER).build());
    SpoilsServerTest.assertProblem(bad, 400);
    assertEquals(VIEWER, header(bad, "Access-Control-Allow-Origin").orElse(""));
    // gRPC-Web from the browser's origin: the status headers are readable by the page
    HttpClientResponse web = grpcWeb(vertx, VIEWER);
    assertEquals(200, web.statusCode());
    assertEquals(VIEWER, web.getHeader("Access-Control-Allow-Origin"));
    assertTrue(web.getHeader("Access-Control-Expose-Headers").contains("grpc-status"));
  }

  @Test
  void disallowedOrigin_getsNoCorsHeaders(Vertx vertx) throws Exception {
    start(vertx, List.of(VIEWER));
    HttpResponse<String> pre = preflight("/v1/analyses", "https://evil.example", "POST",
        "content-type");
    SpoilsServerTest.assertProblem(pre, 403);
    assertFalse(header(pre, "Access-Control-Allow-Origin").isPresent());
    assertFalse(header(pre, "Access-Control-Allow-Methods").isPresent());
    HttpResponse<String> get = server.send(HttpRequest.newBuilder(server.uri("/v1/models"))
        .header("Origin", "https://evil.example").build());
    assertEquals(200, get.statusCode());
    assertFalse(header(get, "Access-Control-Allow-Origin").isPresent());
    assertFalse(header(get, "Access-Control-Expose-Headers").isPresent());
    assertFalse(grpcWeb(vertx, "https://evil.example").headers()
        .contains("Access-Control-Allow-Origin"));
    // an allowed origin asking for a method the API does not take cross-origin
    HttpResponse<String> put = preflight("/v1/models", VIEWER, "PUT", null);
    SpoilsServerTest.assertProblem(put, 403);
    assertFalse(header(put, "Access-Control-Allow-Origin").isPresent());
  }

  @Test
  void wildcard_anyOriginGetsStar(Vertx vertx) throws Exception {
    start(vertx, List.of("*"));
    HttpResponse<String> pre = preflight("/v1/models", "https://anyone.example", "GET", null);
    assertEquals(204, pre.statusCode());
    assertEquals("*", header(pre, "Access-Control-Allow-Origin").orElse(""));
    assertFalse(header(pre, "Access-Control-Allow-Headers").isPresent());
    HttpResponse<String> get = server.send(HttpRequest.newBuilder(server.uri("/health/live"))
        .header("Origin", "https://anyone.example").build());
    assertEquals("*", header(get, "Access-Control-Allow-Origin").orElse(""));
  }

  @Test
  void corsOff_byDefault_noHeadersAndPreflightNotAnswered(Vertx vertx) throws Exception {
    start(vertx, List.of());
    HttpResponse<String> get = server.send(HttpRequest.newBuilder(server.uri("/v1/models"))
        .header("Origin", VIEWER).build());
    assertEquals(200, get.statusCode());
    assertFalse(header(get, "Access-Control-Allow-Origin").isPresent());
    assertFalse(header(get, "Vary").isPresent());
    HttpResponse<String> pre = preflight("/v1/models", VIEWER, "GET", null);
    SpoilsServerTest.assertProblem(pre, 405);
    assertFalse(header(pre, "Access-Control-Allow-Origin").isPresent());
  }

  /** A gRPC-Web ListModels call (HTTP/1.1, as a browser sends it) from {@code origin}. */
  private HttpClientResponse grpcWeb(Vertx vertx, String origin) throws Exception {
    byte[] message = ListModelsRequest.getDefaultInstance().toByteArray();
    Buffer body = Buffer.buffer().appendByte((byte) 0).appendInt(message.length)
        .appendBytes(message);
    var client = vertx.createHttpClient(new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_1_1));
    try {
      HttpClientResponse[] response = new HttpClientResponse[1];
      // built on one event-loop context (GatedServer#awaitOnContext: else a rare hang)
      GatedServer.awaitOnContext(vertx, () -> client.request(HttpMethod.POST,
              server.server.port(), "127.0.0.1", "/spoils.v1.AnalysisService/ListModels")
          .compose(req -> req.putHeader("Content-Type", "application/grpc-web+proto")
              .putHeader("X-Grpc-Web", "1").putHeader("Origin", origin).send(body))
          .compose(r -> {
            response[0] = r;
            return r.body();
          }));
      return response[0];
    } finally {
      SpoilsServerTest.await(client.close());
    }
  }
}
