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

  private HttpResponse<String> post(String json) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/v1/analyses"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
