package io.spoils.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/analyses} reads its input strictly (issue 14, the smaller items): a value that
 * is not exactly a number, a query parameter it does not know (streamed or with
 * {@code Prefer: respond-async}), or a multipart body cut short are 400 problems naming the reason,
 * and no problem names a Java class; the API's other routes take no query parameter.
 */
class StrictHttpInputTest extends GatedServerTestBase {

  private static final String BOUNDARY = "strict-input-boundary";
  /** A Java exception or error class name, simple or qualified. */
  private static final Pattern JAVA_CLASS = Pattern.compile("[A-Za-z]*(Exception|Error)\\b");

  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).build();

  private HttpResponse<String> post(String query, String contentType, byte[] body)
      throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
            + "/v1/analyses" + query)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", contentType).header("Accept", "application/x-ndjson")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A multipart body with the slice as a file part, then field {@code include_mask}. */
  private static byte[] multipart(boolean closed) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; "
        + "filename=\"a.dcm\"\r\nContent-Type: application/dicom\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.write(slice);
    out.write(("\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; "
        + "name=\"include_mask\"\r\n\r\nfalse"
        + (closed ? "\r\n--" + BOUNDARY + "--\r\n" : "")).getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  @Test
  void postAnalyses_odiWithNulByte_400(Vertx vertx) throws Exception {
    server = GatedServer.start(vertx, trees);

    HttpResponse<String> response = post("?odi=4%00&nrs=2", "application/dicom", slice);

    assertEquals(400, response.statusCode(), response.body());
    assertTrue(response.body().contains("odi must be a number"), response.body());
  }

  @Test
  void postAnalyses_unknownQueryParameters_400NamingThem(Vertx vertx) throws Exception {
    server = GatedServer.start(vertx, trees);

    HttpResponse<String> response = post("?oid=30&nrs=2&colour=red", "application/dicom", slice);

    assertEquals(400, response.statusCode(), response.body());
    assertTrue(response.body().contains("'colour', 'oid'"), response.body());
  }

  @Test
  void postAnalysesRespondAsync_unknownQueryParameter_400BeforeAnalysing(Vertx vertx)
      throws Exception {
    server = GatedServer.start(vertx, trees);

    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + server.port() + "/v1/analyses?odi=30&nrs=2&store_result=true"))
        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/dicom")
        .header("Prefer", "respond-async").POST(HttpRequest.BodyPublishers.ofByteArray(slice))
        .build(), HttpResponse.BodyHandlers.ofString());

    assertEquals(400, response.statusCode(), response.body());
    assertTrue(response.body().contains("unknown query parameter 'store_result'"),
        response.body());
  }

  @Test
  void getApiRoutes_anyQueryParameter_400NamingIt(Vertx vertx) throws Exception {
    server = GatedServer.start(vertx, trees);

    for (String path : List.of("/v1/models?verbose=1", "/v1/received?limit=5",
        "/v1/analyses/some-id/events?from=3", "/v1/openapi.json?v=2")) {
      HttpResponse<String> response = get(path);
      assertEquals(400, response.statusCode(), path + ": " + response.body());
      assertTrue(response.body().contains("this route takes none"), response.body());
    }
    // probes, scrapers and the viewer's files stay lenient
    for (String path : List.of("/health/live?probe=k8s", "/metrics?x=1", "/viewer/?v=2")) {
      assertEquals(200, get(path).statusCode(), path);
    }
    assertEquals(200, get("/v1/models").statusCode());
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
        + pathAndQuery)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  // what RawHttpFuzzTest found, pinned: each failed before its fix

  @Test
  void postAnalyses_queryNotPercentEncoding_400(Vertx vertx) throws Exception {
    server = GatedServer.start(vertx, trees);

    // raw: the JDK's client refuses such a URI itself
    RawExchange.Answer post = RawExchange.send(server.port(), rawRequest(
        "/v1/analyses?odi=%zz&nrs=2", "application/dicom", slice), true);
    RawExchange.Answer get = RawExchange.send(server.port(), ("GET /v1/models?x=% HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII),
        true);

    for (RawExchange.Answer r : List.of(post, get)) {
      assertEquals(400, r.status(), r.text(600));
      assertTrue(r.body().contains("query string is not valid"), r.text(600));
    }
  }

  @Test
  void postAnalyses_multipartWithoutBoundary_400(Vertx vertx) throws Exception {
    server = GatedServer.start(vertx, trees);

    for (String type : List.of("multipart/form-data; boundary=", "multipart/form-data",
        "multipart/form-data; boundary=" + "b".repeat(71))) {
      HttpResponse<String> r = post("", type, multipart(true));
      assertEquals(400, r.statusCode(), type + ": " + r.body());
      assertTrue(r.body().contains("boundary"), r.body());
    }
  }

  @Test
  void grpcWeb_messageCutShort_invalidArgumentAtOnce(Vertx vertx) throws Exception {
    server = GatedServer.start(vertx, trees);
    byte[] message = GatedServer.request(slice).toByteArray();
    // the frame header declares the whole message; the body ends after 1,000 of its bytes
    byte[] cut = java.nio.ByteBuffer.allocate(5 + 1000).put((byte) 0).putInt(message.length)
        .put(message, 0, 1000).array();

    long start = System.nanoTime();
    RawExchange.Answer answer = RawExchange.send(server.port(), rawRequest(
        "/spoils.v1.AnalysisService/Analyze", "application/grpc-web+proto", cut), true);

    assertEquals(200, answer.status(), answer.text(600));
    assertTrue(answer.text(2000).matches("(?s).*grpc-status: ?3\\b.*"), answer.text(2000));
    assertTrue(answer.text(2000).contains("without a complete AnalyzeRequest"),
        answer.text(2000));
    assertTrue(System.nanoTime() - start < 20_000_000_000L, "answered at the arrival deadline");
  }

  @Test
  void grpc_methodPathWithControlCharacter_invalidArgumentNotDroppedConnection(Vertx vertx)
      throws Exception {
    server = GatedServer.start(vertx, trees);

    RawExchange.Answer answer = RawExchange.send(server.port(), rawRequest(
        "/spoils.v1.AnalysisService/Ana\u0001lyze", "application/grpc-web+proto", new byte[5]),
        true);

    assertEquals(200, answer.status(), answer.text(600));
    assertTrue(answer.text(2000).matches("(?s).*grpc-status: ?3\\b.*"), answer.text(2000));
  }

  /** A raw HTTP/1.1 POST of {@code body} to {@code path}, closing the connection after. */
  private static byte[] rawRequest(String path, String contentType, byte[] body) {
    byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
        + contentType + "\r\nConnection: close\r\nContent-Length: " + body.length + "\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
    byte[] out = java.util.Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, out, head.length, body.length);
    return out;
  }

  @Test
  void postAnalyses_multipartWithoutClosingBoundary_400(Vertx vertx) throws Exception {
    server = GatedServer.start(vertx, trees);
    String type = "multipart/form-data; boundary=" + BOUNDARY;

    HttpResponse<String> cut = post("", type, multipart(false));
    HttpResponse<String> whole = post("", type, multipart(true));

    assertEquals(400, cut.statusCode(), cut.body());
    assertTrue(cut.body().contains("closing boundary"), cut.body());
    assertEquals(200, whole.statusCode(), whole.body());
    assertTrue(whole.body().contains("\"summary\""), whole.body());
  }

  @Test
  void postAnalyses_unreadableMultipart_problemNamesNoJavaClass(Vertx vertx) throws Exception {
    server = GatedServer.start(vertx, trees);

    // a form field far over the decoder's limit: the decoder fails with its own exception
    String field = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"odi\"\r\n\r\n"
        + "4".repeat(200_000) + "\r\n--" + BOUNDARY + "--\r\n";
    HttpResponse<String> response = post("", "multipart/form-data; boundary=" + BOUNDARY,
        field.getBytes(StandardCharsets.US_ASCII));

    assertEquals(400, response.statusCode(), response.body());
    assertFalse(JAVA_CLASS.matcher(response.body()).find(), response.body());
  }
}
