package io.spoils.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.testing.ExampleBackend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code POST /v1/analyses} with {@code multipart/form-data}: a series plus form fields. */
@ExtendWith(VertxExtension.class)
class MultipartUploadTest {

  private static final String BOUNDARY = "spoils-test-boundary-7f3a";
  private static final String MULTIPART = "multipart/form-data; boundary=" + BOUNDARY;
  /** Three example slices fit; four do not. */
  private static final long LIMIT = 3 * 660_000L;

  private static List<byte[]> series;
  @RegisterExtension
  final StartedServer servers = new StartedServer();
  private TestServer server;

  @BeforeAll
  static void load() throws Exception {
    series = TestDicom.series(3);
  }

  private void start(Vertx vertx) throws Exception {
    server = servers.start(vertx, new ExampleBackend(),
        new ServerOptions("127.0.0.1", 0, 2, 2, LIMIT, 3, 60, 2));
  }

  private HttpResponse<String> post(String query, byte[] body) throws Exception {
    return server.send(server.post("/v1/analyses" + query, MULTIPART, body).build());
  }

  @Test
  void httpMultipart_seriesWithFormFields_analysesMidSlice(Vertx vertx) throws Exception {
    start(vertx);
    HttpResponse<String> response = post("", TestDicom.multipart(BOUNDARY, series,
        "odi", "45", "nrs", "7", "max_contributions", "2"));
    assertEquals(200, response.statusCode(), response.body());
    String[] lines = response.body().split("\n");
    JsonObject accepted = new JsonObject(lines[0]).getJsonObject("accepted");
    assertEquals(3, accepted.getInteger("filesReceived"));
    assertEquals(3, accepted.getJsonObject("series").getInteger("sliceCount"));
    assertEquals(1, accepted.getJsonObject("series").getInteger("midSliceIndex"));
    JsonObject summary = new JsonObject(lines[lines.length - 1]).getJsonObject("summary");
    assertEquals(45.0, summary.getJsonObject("clinical").getDouble("odiPercent"));
    assertEquals(7, summary.getJsonObject("clinical").getInteger("nrs"));
    for (String line : lines) {
      JsonObject disc = new JsonObject(line).getJsonObject("disc");
      if (disc != null && disc.containsKey("contributions")) {
        assertTrue(disc.getJsonArray("contributions").size() <= 2);
      }
    }
  }

  @Test
  void httpMultipart_scoresAsQuery_accepted(Vertx vertx) throws Exception {
    start(vertx);
    HttpResponse<String> response = post("?odi=20&nrs=2",
        TestDicom.multipart(BOUNDARY, series.subList(0, 1)));
    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.body().contains("\"odiPercent\":20"), response.body());
  }

  @Test
  void httpMultipart_fieldInQueryAndForm_400(Vertx vertx) throws Exception {
    start(vertx);
    HttpResponse<String> response = post("?odi=20",
        TestDicom.multipart(BOUNDARY, series.subList(0, 1), "odi", "30", "nrs", "2"));
    SpoilsServerTest.assertProblem(response, 400);
    assertTrue(response.body().contains("odi is given 2 times"), response.body());
  }

  @Test
  void httpMultipart_unknownField_400(Vertx vertx) throws Exception {
    start(vertx);
    HttpResponse<String> response = post("",
        TestDicom.multipart(BOUNDARY, series.subList(0, 1), "oid", "30"));
    SpoilsServerTest.assertProblem(response, 400);
    assertTrue(response.body().contains("unknown form field 'oid'"), response.body());
  }

  @Test
  void httpMultipart_noFilePart_400(Vertx vertx) throws Exception {
    start(vertx);
    HttpResponse<String> response = post("", TestDicom.multipart(BOUNDARY, List.of(),
        "odi", "30", "nrs", "2"));
    SpoilsServerTest.assertProblem(response, 400);
    assertTrue(response.body().contains("no DICOM file part"), response.body());
  }

  @Test
  void httpMultipart_tooManyFiles_413(Vertx vertx) throws Exception {
    start(vertx);
    List<byte[]> tiny = List.of(new byte[10], new byte[10], new byte[10], new byte[10]);
    HttpResponse<String> response = post("", TestDicom.multipart(BOUNDARY, tiny));
    SpoilsServerTest.assertProblem(response, 413);
    assertTrue(response.body().contains("at most 3"), response.body());
  }

  /**
   * A body far beyond the limit, streamed without a Content-Length: the server answers 413 while
   * receiving and stops reading, so the client never has to send it all.
   */
  @Test
  void httpMultipart_overByteLimit_413WithoutReadingAll(Vertx vertx) throws Exception {
    start(vertx);
    long total = 512L * 1024 * 1024;
    AtomicLong sent = new AtomicLong();
    byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; "
        + "filename=\"big.dcm\"\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    InputStream endless = new InputStream() {
      @Override
      public int read() {
        long n = sent.getAndIncrement();
        return n < head.length ? head[(int) n] : n < total ? 'x' : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        int i = 0;
        for (; i < len; i++) {
          int c = read();
          if (c < 0) {
            break;
          }
          b[off + i] = (byte) c;
        }
        return i == 0 && len > 0 ? -1 : i;
      }
    };
    HttpRequest request = HttpRequest.newBuilder(server.uri("/v1/analyses"))
        .header("Content-Type", MULTIPART)
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> endless)).build();
    HttpResponse<String> response = server.http.send(request,
        HttpResponse.BodyHandlers.ofString());
    SpoilsServerTest.assertProblem(response, 413);
    assertTrue(response.body().contains("byte limit"), response.body());
    assertTrue(sent.get() < total / 4, "the client sent " + sent.get() + " bytes");
  }

  @Test
  void httpDicom_declaredTooLarge_413BeforeBody(Vertx vertx) throws Exception {
    start(vertx);
    byte[] big = new byte[(int) LIMIT + 1];
    HttpResponse<String> response = server.send(server.post("/v1/analyses",
        "application/dicom", big).build());
    SpoilsServerTest.assertProblem(response, 413);
    HttpResponse<String> ok = post("", TestDicom.multipart(BOUNDARY, series.subList(0, 1)));
    assertEquals(200, ok.statusCode(), ok.body());
  }
}
