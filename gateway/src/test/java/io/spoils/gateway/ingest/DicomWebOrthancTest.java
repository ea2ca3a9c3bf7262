package io.spoils.gateway.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.config.IngestOptions;
import io.spoils.gateway.config.PacsOptions;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.server.SpoilsServer;
import io.spoils.gateway.service.AnalysisService;
import io.spoils.gateway.testing.DefaultTrees;
import io.spoils.gateway.testing.ExampleBackend;
import io.spoils.proto.v1.AnalysisEvent;
import io.spoils.proto.v1.AnalysisServiceGrpc;
import io.spoils.proto.v1.AnalyzeRequest;
import io.spoils.proto.v1.ClinicalScores;
import io.spoils.proto.v1.DicomWebStudy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway fetching from a real Orthanc over DICOMweb: the bundled example slice is stored in
 * Orthanc, then analysed by naming it over gRPC and HTTP. Skipped when Orthanc is not installed.
 */
@ExtendWith(VertxExtension.class)
@ExtendWith(DefaultTrees.class)
class DicomWebOrthancTest {

  private static final Path SLICE = Path.of("examples/spider/slice.dcm");

  @TempDir
  static Path dir;
  private static OrthancProcess orthanc;
  private static XgbTreeGrader trees;
  private static String studyUid;
  private static String seriesUid;
  private SpoilsServer server;
  private ManagedChannel channel;

  @BeforeAll
  static void startOrthanc(XgbTreeGrader defaultTrees) throws Exception {
    assumeTrue(OrthancProcess.installed(), "Orthanc or its DICOMweb plugin is not installed "
        + "(apt-get install orthanc orthanc-dicomweb; bin/setup does): skipping");
    AttributeList header = new AttributeList();
    header.read(SLICE.toString());
    studyUid = Attribute.getSingleStringValueOrEmptyString(header, TagFromName.StudyInstanceUID);
    seriesUid = Attribute.getSingleStringValueOrEmptyString(header, TagFromName.SeriesInstanceUID);
    orthanc = OrthancProcess.start(dir);
    orthanc.upload(Files.readAllBytes(SLICE));
    trees = defaultTrees;
  }

  @AfterAll
  static void stopOrthanc() throws Exception {
    if (orthanc != null) {
      orthanc.close();
    }
  }

  private void start(Vertx vertx, ServerOptions options) throws Exception {
    AnalysisService service = new AnalysisService(vertx, new ExampleBackend(7, 16).withDeadlines(vertx), "fake",
        trees, options.withIngest(IngestOptions.defaults()
            .withPacs("orthanc", PacsOptions.of(orthanc.dicomWebUrl()))
            .withPacs("down", PacsOptions.of("http://127.0.0.1:" + OrthancProcess.freePort()))));
    server = await(SpoilsServer.start(vertx, service));
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }

  private void start(Vertx vertx) throws Exception {
    start(vertx, ServerOptions.defaults().withHost("127.0.0.1").withPort(0));
  }

  @AfterEach
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      await(server.close());
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static AnalyzeRequest request(String pacs, String study, String series) {
    DicomWebStudy.Builder ref = DicomWebStudy.newBuilder().setPacs(pacs)
        .setStudyInstanceUid(study);
    if (series != null) {
      ref.setSeriesInstanceUid(series);
    }
    return AnalyzeRequest.newBuilder().setDicomweb(ref)
        .setScores(ClinicalScores.newBuilder().setOdiPercent(45).setNrs(6)).build();
  }

  private List<AnalysisEvent> analyze(AnalyzeRequest request) {
    List<AnalysisEvent> events = new ArrayList<>();
    AnalysisServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
        .analyze(request).forEachRemaining(events::add);
    return events;
  }

  private StatusRuntimeException analyzeFails(AnalyzeRequest request) {
    return assertThrows(StatusRuntimeException.class, () -> analyze(request));
  }

  @Test
  void grpcAnalyze_dicomWebStudy_discsAndSummary(Vertx vertx) throws Exception {
    start(vertx);
    List<AnalysisEvent> events = analyze(request("orthanc", studyUid, null));
    assertEquals(1, events.get(0).getAccepted().getFilesReceived());
    long discs = events.stream().filter(AnalysisEvent::hasDisc).count();
    assertTrue(discs > 0, "no disc events");
    AnalysisEvent last = events.get(events.size() - 1);
    assertTrue(last.hasSummary());
    assertTrue(last.getSummary().getDiscsGraded() > 0);
    assertEquals(45, last.getSummary().getClinical().getOdiPercent(), 1e-9);
  }

  @Test
  void grpcAnalyze_dicomWebSeries_summary(Vertx vertx) throws Exception {
    start(vertx);
    List<AnalysisEvent> events = analyze(request("orthanc", studyUid, seriesUid));
    assertTrue(events.get(events.size() - 1).hasSummary());
  }

  @Test
  void grpcAnalyze_unknownStudy_notFoundWithoutUid(Vertx vertx) throws Exception {
    start(vertx);
    String unknown = "1.2.826.0.1.3680043.2.1125.99999";
    StatusRuntimeException e = analyzeFails(request("orthanc", unknown, null));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    assertEquals("study not found in PACS orthanc", e.getStatus().getDescription());
    StatusRuntimeException series = analyzeFails(request("orthanc", studyUid, unknown));
    assertEquals(Status.Code.NOT_FOUND, series.getStatus().getCode());
    assertFalse(series.getStatus().getDescription().contains(studyUid));
  }

  @Test
  void grpcAnalyze_unknownPacs_invalidArgumentNamingKnown(Vertx vertx) throws Exception {
    start(vertx);
    StatusRuntimeException e = analyzeFails(request("elsewhere", studyUid, null));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("down, orthanc"),
        e.getStatus().getDescription());
    StatusRuntimeException none = analyzeFails(request("", studyUid, null));
    assertEquals(Status.Code.INVALID_ARGUMENT, none.getStatus().getCode());
    assertEquals("the study names no PACS; this server knows down, orthanc",
        none.getStatus().getDescription());
    StatusRuntimeException uid = analyzeFails(request("orthanc", "1.2.x", null));
    assertEquals(Status.Code.INVALID_ARGUMENT, uid.getStatus().getCode());
  }

  @Test
  void grpcAnalyze_pacsUnreachable_unavailable(Vertx vertx) throws Exception {
    start(vertx);
    StatusRuntimeException e = analyzeFails(request("down", studyUid, null));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    assertEquals("PACS down is unreachable", e.getStatus().getDescription());
  }

  @Test
  void grpcAnalyze_studyOverByteLimit_resourceExhausted(Vertx vertx) throws Exception {
    start(vertx, new ServerOptions("127.0.0.1", 0, 2, 2, 100_000, 10, 60, 2));
    StatusRuntimeException e = analyzeFails(request("orthanc", studyUid, null));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("100000-byte"));
  }

  @Test
  void httpAnalyses_dicomWebJson_ndjsonSummary(Vertx vertx) throws Exception {
    start(vertx);
    JsonObject body = new JsonObject()
        .put("dicomweb", new JsonObject().put("pacs", "orthanc").put("studyInstanceUid", studyUid))
        .put("odi", 45).put("nrs", 6);
    HttpResponse<String> r = post(body.encode());
    assertEquals(200, r.statusCode(), r.body());
    String[] lines = r.body().split("\n");
    assertEquals(1, new JsonObject(lines[0]).getJsonObject("accepted").getInteger("filesReceived"));
    assertTrue(new JsonObject(lines[lines.length - 1]).containsKey("summary"));
  }

  @Test
  void httpAnalyses_dicomWebJsonUnknownStudy_problem404(Vertx vertx) throws Exception {
    start(vertx);
    HttpResponse<String> r = post(new JsonObject().put("dicomweb", new JsonObject()
        .put("pacs", "orthanc").put("studyInstanceUid", "1.2.3.4")).encode());
    assertEquals(404, r.statusCode(), r.body());
    assertEquals("study not found in PACS orthanc", new JsonObject(r.body()).getString("detail"));
    HttpResponse<String> bad = post("{\"dicomweb\": {\"pacs\": \"orthanc\"}, \"odi\": 45}");
    assertEquals(400, bad.statusCode(), bad.body());
  }

  @Test
  void httpAnalyses_dicomWebJsonRespondAsync_202ThenEventsAndSlice(Vertx vertx)
      throws Exception {
    start(vertx);
    JsonObject body = new JsonObject().put("dicomweb", new JsonObject().put("pacs", "orthanc")
        .put("studyInstanceUid", studyUid).put("seriesInstanceUid", seriesUid))
        .put("odi", 45).put("nrs", 6);
    HttpResponse<String> r = send("/v1/analyses?max_contributions=2", body.encode(),
        "Prefer", "respond-async");
    assertEquals(202, r.statusCode(), r.body());
    JsonObject submitted = new JsonObject(r.body());
    HttpResponse<String> events = get(submitted.getString("events"));
    assertEquals(200, events.statusCode(), events.body());
    List<JsonObject> lines = events.body().lines().map(JsonObject::new).toList();
    JsonObject accepted = lines.get(0).getJsonObject("accepted");
    assertEquals(1, accepted.getInteger("filesReceived"));
    assertEquals(studyUid, accepted.getJsonObject("series").getString("studyInstanceUid"));
    JsonObject disc = lines.stream().filter(e -> e.containsKey("disc")).findFirst()
        .orElseThrow().getJsonObject("disc");
    assertEquals(2, disc.getJsonArray("contributions").size(), "max_contributions honoured");
    JsonObject summary = lines.get(lines.size() - 1).getJsonObject("summary");
    assertEquals(45, summary.getJsonObject("clinical").getDouble("odiPercent"), 1e-9);
    // the analysed slice and its label map, drawn from the files the gateway fetched
    for (String image : List.of("slice", "labels")) {
      HttpResponse<byte[]> png = http1().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.port() + submitted.getString(image))).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, png.statusCode(), image);
      assertEquals("image/png", png.headers().firstValue("Content-Type").orElse(""), image);
      assertTrue(png.body().length > 100, image);
    }
  }

  @Test
  void httpAnalyses_dicomWebJsonRespondAsyncRefusals_problemsBefore202(Vertx vertx)
      throws Exception {
    start(vertx);
    JsonObject noPacs = new JsonObject().put("dicomweb", new JsonObject()
        .put("studyInstanceUid", studyUid));
    HttpResponse<String> several = send("/v1/analyses", noPacs.encode(),
        "Prefer", "respond-async");
    assertEquals(400, several.statusCode(), several.body());
    assertEquals("the study names no PACS; this server knows down, orthanc",
        new JsonObject(several.body()).getString("detail"));
    HttpResponse<String> queryScores = send("/v1/analyses?odi=45&nrs=6", new JsonObject()
        .put("dicomweb", new JsonObject().put("pacs", "orthanc").put("studyInstanceUid", studyUid))
        .encode(), "Prefer", "respond-async");
    assertEquals(400, queryScores.statusCode(), queryScores.body());
    assertTrue(queryScores.body().contains("in the JSON body"), queryScores.body());
    HttpResponse<String> unknown = send("/v1/analyses", new JsonObject().put("dicomweb",
        new JsonObject().put("pacs", "orthanc").put("studyInstanceUid", "1.2.3.4")).encode(),
        "Prefer", "respond-async");
    // admitted (202), then the fetch fails: the kept analysis ends with the 404 problem
    assertEquals(202, unknown.statusCode(), unknown.body());
    HttpResponse<String> events = get(new JsonObject(unknown.body()).getString("events"));
    JsonObject error = new JsonObject(events.body().lines().reduce((a, b) -> b).orElseThrow())
        .getJsonObject("error");
    assertEquals(404, error.getInteger("status"), events.body());
    assertEquals("study not found in PACS orthanc", error.getString("detail"));
  }

  @Test
  void httpAnalyses_dicomWebJsonWithoutPacsOnServerWithOne_usesIt(Vertx vertx) throws Exception {
    AnalysisService service = new AnalysisService(vertx, new ExampleBackend(7, 16).withDeadlines(vertx), "fake",
        trees, ServerOptions.defaults().withHost("127.0.0.1").withPort(0).withIngest(
            IngestOptions.defaults().withPacs("orthanc", PacsOptions.of(orthanc.dicomWebUrl()))));
    server = await(SpoilsServer.start(vertx, service));
    HttpResponse<String> r = post(new JsonObject().put("dicomweb", new JsonObject()
        .put("studyInstanceUid", studyUid)).encode());
    assertEquals(200, r.statusCode(), r.body());
    String[] lines = r.body().split("\n");
    assertTrue(new JsonObject(lines[lines.length - 1]).containsKey("summary"), r.body());
  }

  private HttpResponse<String> post(String json) throws Exception {
    return send("/v1/analyses", json);
  }

  /** A POST of {@code json} to {@code pathAndQuery} with extra headers (name, value, ...). */
  private HttpResponse<String> send(String pathAndQuery, String json, String... headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + pathAndQuery))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http1().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A GET of {@code path} as NDJSON, within 60 s. */
  private HttpResponse<String> get(String path) throws Exception {
    return http1().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + path))
        .header("Accept", "application/x-ndjson").timeout(java.time.Duration.ofSeconds(60))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * A client that speaks HTTP/1.1 only: the JDK client's default h2c upgrade attempt once read a
   * 216 kB PNG answer as HTTP/2 frames ("Frame type(215) ... exceeds MAX_FRAME_SIZE") in a
   * clean-clone run; these tests are about DICOMweb, not the upgrade.
   */
  private static HttpClient http1() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }
}
