package io.spoils.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.gateway.backend.simulated.SimulatedBackend;
import io.spoils.gateway.backend.simulated.SimulatedOptions;
import io.spoils.gateway.config.ServerOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /v1/analyses} with {@code Prefer: respond-async}, then the kept analysis' routes
 * ({@link RetainedRoutes}) and the viewer's files ({@link ViewerRoutes}), on the simulated backend.
 */
@ExtendWith(VertxExtension.class)
class SubmittedAnalysisTest {

  @RegisterExtension
  final StartedServer servers = new StartedServer();
  private TestServer server;

  private void start(Vertx vertx) throws Exception {
    server = servers.start(vertx, new SimulatedBackend(vertx, SimulatedOptions.of(0, 0)),
        ServerOptions.defaults());
  }

  /** Submits the example (with the test patient in it) and returns the 202's body. */
  private JsonObject submit() throws Exception {
    HttpResponse<String> r = server.send(server.post("/v1/analyses?odi=45&nrs=7",
        "application/dicom", TestDicom.withPatient()).header("Prefer", "respond-async")
        .expectContinue(true).build());
    assertEquals(202, r.statusCode(), r.body());
    assertEquals("respond-async", r.headers().firstValue("Preference-Applied").orElse(""));
    JsonObject body = new JsonObject(r.body());
    assertEquals("/v1/analyses/" + body.getString("id"),
        r.headers().firstValue("Location").orElse(""));
    return body;
  }

  private HttpResponse<String> events(String url, String accept) throws Exception {
    return server.send(HttpRequest.newBuilder(server.uri(url)).header("Accept", accept)
        .timeout(Duration.ofSeconds(60)).build());
  }

  @Test
  void submittedAnalysis_eventsStreamAsSseToSummary(Vertx vertx) throws Exception {
    start(vertx);
    JsonObject submitted = submit();
    HttpResponse<String> sse = events(submitted.getString("events"), "text/event-stream");
    assertEquals(200, sse.statusCode(), sse.body());
    assertEquals(HttpEndpoints.SSE, sse.headers().firstValue("Content-Type").orElse(""));
    List<String> kinds = new ArrayList<>();
    for (String block : sse.body().split("\n\n")) {
      String kind = block.lines().filter(l -> l.startsWith("event: ")).findFirst().orElseThrow();
      kinds.add(kind.substring(7));
      String data = block.lines().filter(l -> l.startsWith("data: ")).findFirst().orElseThrow();
      JsonObject event = new JsonObject(data.substring(6));
      assertEquals(submitted.getString("id"), event.getString("analysisId"));
      assertFalse(event.containsKey("segmentation")
          && event.getJsonObject("segmentation").containsKey("mask"), "mask not asked for");
    }
    assertEquals("accepted", kinds.get(0));
    assertEquals("summary", kinds.get(kinds.size() - 1));
    assertTrue(kinds.contains("segmentation") && kinds.contains("disc"), kinds.toString());
    // again later: the whole stream is replayed, and after the last id there is nothing left
    assertEquals(sse.body(), events(submitted.getString("events"), "text/event-stream").body());
    HttpResponse<String> after = server.send(HttpRequest.newBuilder(server.uri(
        submitted.getString("events"))).header("Accept", "text/event-stream")
        .header("Last-Event-ID", Integer.toString(kinds.size())).build());
    assertEquals(204, after.statusCode());
    HttpResponse<String> ndjson = events(submitted.getString("events"), "application/x-ndjson");
    assertEquals(kinds.size(), ndjson.body().lines().count());
  }

  @Test
  void submittedAnalysis_statusHasStateEventsAndImages(Vertx vertx) throws Exception {
    start(vertx);
    JsonObject submitted = submit();
    events(submitted.getString("events"), "text/event-stream"); // waits for the summary
    HttpResponse<String> status = server.get(submitted.getString("status"));
    assertEquals(200, status.statusCode(), status.body());
    JsonObject s = new JsonObject(status.body());
    assertEquals("done", s.getString("state"));
    JsonArray events = s.getJsonArray("events");
    assertTrue(events.getJsonObject(events.size() - 1).containsKey("summary"));
    for (String key : List.of("submittedAt", "finishedAt")) {
      assertTrue(s.getString(key).endsWith("Z"), key);
    }
    JsonObject accepted = events.getJsonObject(0).getJsonObject("accepted");
    int rows = accepted.getJsonObject("series").getInteger("rows");
    int columns = accepted.getJsonObject("series").getInteger("columns");
    BufferedImage slice = png(submitted.getString("slice"));
    BufferedImage labels = png(submitted.getString("labels"));
    for (BufferedImage image : List.of(slice, labels)) {
      assertEquals(columns, image.getWidth());
      assertEquals(rows, image.getHeight());
    }
    assertTrue(distinct(slice) > 50, "a windowed MR slice has many grey levels");
    int[] ids = labels.getRaster().getPixels(0, 0, columns, rows, (int[]) null);
    assertTrue(java.util.Arrays.stream(ids).allMatch(v -> v >= 0 && v <= 13));
    assertTrue(java.util.Arrays.stream(ids).anyMatch(v -> v >= 7 && v <= 12), "no disc label");
  }

  @Test
  void submittedAnalysis_multipartSeries_keepsMeasuredSliceOfSeries(Vertx vertx)
      throws Exception {
    start(vertx);
    List<byte[]> files = new ArrayList<>();
    try (var dir = java.nio.file.Files.list(java.nio.file.Path.of("examples/spider-series"))) {
      for (java.nio.file.Path p : dir.filter(f -> f.toString().endsWith(".dcm")).sorted()
          .toList()) {
        files.add(java.nio.file.Files.readAllBytes(p));
      }
    }
    HttpResponse<String> r = server.send(server.post("/v1/analyses", "multipart/form-data; "
        + "boundary=series", TestDicom.multipart("series", files, "include_mask", "true"))
        .header("Prefer", "respond-async").build());
    assertEquals(202, r.statusCode(), r.body());
    JsonObject submitted = new JsonObject(r.body());
    HttpResponse<String> ndjson = events(submitted.getString("events"), "application/x-ndjson");
    List<JsonObject> events = ndjson.body().lines().map(JsonObject::new).toList();
    JsonObject series = events.get(0).getJsonObject("accepted").getJsonObject("series");
    assertEquals(files.size(), series.getInteger("sliceCount"));
    JsonObject segmentation = events.stream().filter(e -> e.containsKey("segmentation"))
        .findFirst().orElseThrow().getJsonObject("segmentation");
    assertTrue(segmentation.containsKey("mask"), "include_mask keeps the mask in the event");
    assertTrue(events.get(events.size() - 1).containsKey("summary"));
    BufferedImage slice = png(submitted.getString("slice"));
    assertEquals(series.getInteger("columns"), slice.getWidth());
    assertEquals(series.getInteger("rows"), slice.getHeight());
  }

  @Test
  void submittedAnalysis_refusedBadInputAndUnknownIdsAsProblems(Vertx vertx) throws Exception {
    start(vertx);
    HttpResponse<String> wrongType = server.send(server.post("/v1/analyses", "text/plain",
        new byte[] {1}).header("Prefer", "respond-async").build());
    SpoilsServerTest.assertProblem(wrongType, 400);
    HttpResponse<String> badScore = server.send(server.post("/v1/analyses?odi=300&nrs=1",
        "application/dicom", TestDicom.example()).header("Prefer", "respond-async").build());
    SpoilsServerTest.assertProblem(badScore, 400);
    for (String suffix : List.of("", "/events", "/slice.png", "/labels.png")) {
      SpoilsServerTest.assertProblem(server.get("/v1/analyses/no-such-id" + suffix), 404);
      SpoilsServerTest.assertProblem(server.get("/v1/analyses/%2e%2e" + suffix), 404);
    }
    // without Prefer the stream is unchanged
    HttpResponse<String> stream = server.send(server.post("/v1/analyses", "application/dicom",
        TestDicom.example()).build());
    assertEquals(200, stream.statusCode());
    assertEquals(HttpEndpoints.NDJSON, stream.headers().firstValue("Content-Type").orElse(""));
  }

  @Test
  void submittedAnalysis_failureEndsStreamWithErrorEventAndNoPatientData(Vertx vertx)
      throws Exception {
    start(vertx);
    try (LogCapture logs = LogCapture.start()) {
      byte[] notDicom = "ZZTESTPATIENT^QUENTIN is not a DICOM file".getBytes();
      HttpResponse<String> r = server.send(server.post("/v1/analyses", "application/dicom",
          notDicom).header("Prefer", "respond-async").build());
      assertEquals(202, r.statusCode(), r.body());
      JsonObject submitted = new JsonObject(r.body());
      HttpResponse<String> sse = events(submitted.getString("events"), "text/event-stream");
      assertTrue(sse.body().startsWith("event: error\ndata: "), sse.body());
      JsonObject problem = new JsonObject(sse.body().lines().filter(l -> l.startsWith("data: "))
          .findFirst().orElseThrow().substring(6));
      assertEquals(400, problem.getInteger("status"));
      JsonObject status = new JsonObject(server.get(submitted.getString("status")).body());
      assertEquals("failed", status.getString("state"));
      assertEquals(400, status.getJsonObject("error").getInteger("status"));
      SpoilsServerTest.assertProblem(server.get(submitted.getString("slice")), 404);
      JsonObject ok = submit();
      events(ok.getString("events"), "text/event-stream");
      String everything = logs.text() + sse.body() + server.get(ok.getString("status")).body();
      TestDicom.PATIENT_DATA.forEach(p -> assertFalse(everything.contains(p), p));
    }
  }

  @Test
  void viewer_servesPageAndFilesOnly(Vertx vertx) throws Exception {
    start(vertx);
    HttpResponse<String> page = server.get("/viewer/");
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(page.body().contains("Decision support for clinicians, never a diagnosis"));
    assertTrue(page.headers().firstValue("Content-Security-Policy").isPresent());
    for (String file : List.of("viewer.js", "viewer.css", "index.html")) {
      assertEquals(200, server.get("/viewer/" + file).statusCode(), file);
    }
    HttpResponse<String> redirect = server.get("/viewer");
    assertEquals(308, redirect.statusCode());
    assertEquals("/viewer/", redirect.headers().firstValue("Location").orElse(""));
    SpoilsServerTest.assertProblem(server.get("/viewer/secret.txt"), 404);
    SpoilsServerTest.assertProblem(server.get("/viewer/..%2Fopenapi.json"), 404);
  }

  private BufferedImage png(String url) throws Exception {
    HttpResponse<byte[]> r = server.http.send(HttpRequest.newBuilder(server.uri(url)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode());
    assertEquals("image/png", r.headers().firstValue("Content-Type").orElse(""));
    assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
    // a PNG reader directly: ImageIO.read probes every reader, and PixelMed's print while probing
    javax.imageio.ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
    try (var in = ImageIO.createImageInputStream(new ByteArrayInputStream(r.body()))) {
      reader.setInput(in);
      return reader.read(0);
    } finally {
      reader.dispose();
    }
  }

  private static int distinct(BufferedImage image) {
    int[] px = image.getRaster().getPixels(0, 0, image.getWidth(), image.getHeight(),
        (int[]) null);
    return (int) java.util.Arrays.stream(px).distinct().count();
  }
}
