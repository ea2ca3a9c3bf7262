package io.spoils.gateway.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.config.IngestOptions;
import io.spoils.gateway.config.PacsOptions;
import io.spoils.gateway.config.StoreOptions;
import io.spoils.gateway.output.store.ResultStore;
import io.spoils.gateway.output.store.StoreTestServer;
import io.spoils.gateway.testing.DefaultTrees;
import io.spoils.proto.v1.AnalysisEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Results back to a real Orthanc by STOW-RS: the example slice is analysed with
 * {@code store_results}, then the SR and SEG are found in Orthanc by QIDO-RS, retrieved by WADO-RS
 * and checked (SOP classes, the source's study). Skipped when Orthanc is not installed.
 */
@ExtendWith(VertxExtension.class)
@ExtendWith(DefaultTrees.class)
class ResultStoreOrthancTest {

  /** MR Image Storage: the source, when a test put it into Orthanc. */
  private static final String MR_IMAGE = "1.2.840.10008.5.1.4.1.1.4";

  @TempDir
  static Path dir;
  private static OrthancProcess orthanc;
  private static XgbTreeGrader trees;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void startOrthanc(XgbTreeGrader defaultTrees) throws Exception {
    assumeTrue(OrthancProcess.installed(), "Orthanc or its DICOMweb plugin is not installed "
        + "(apt-get install orthanc orthanc-dicomweb; bin/setup does): skipping");
    orthanc = OrthancProcess.start(dir);
    trees = defaultTrees;
  }

  @AfterAll
  static void stopOrthanc() throws Exception {
    if (orthanc != null) {
      orthanc.close();
    }
  }

  private static IngestOptions storingTo(String pacs) throws java.io.IOException {
    return IngestOptions.defaults()
        .withPacs("orthanc", PacsOptions.of(orthanc.dicomWebUrl()))
        .withPacs("down", PacsOptions.of("http://127.0.0.1:" + OrthancProcess.freePort()))
        .withStore(StoreOptions.defaults().withDicomweb(pacs).withRetries(5, 2));
  }

  @Test
  void storeResults_orthanc_srAndSegRetrievableInSourceStudy(Vertx vertx) throws Exception {
    String study = StoreTestServer.exampleStudyUid();
    List<AnalysisEvent> events;
    try (StoreTestServer server = StoreTestServer.start(vertx, trees, storingTo("orthanc"))) {
      events = server.analyze(true);
    }
    assertEquals(List.of("The DICOM SR and SEG were stored on DICOMweb PACS orthanc."),
        StoreTestServer.warnings(events, ResultStore.STORED), "events: " + events);
    assertTrue(events.get(events.size() - 1).hasSummary(), "the summary stays last");
    assertTrue(events.get(events.size() - 2).hasWarning(), "the outcome comes just before it");
    assertTrue(events.stream().filter(AnalysisEvent::hasSegmentation)
        .allMatch(e -> !e.getSegmentation().hasMask()), "no mask was asked for");

    JsonArray found = new JsonArray(get("/studies/" + study + "/instances",
        "application/dicom+json"));
    Set<String> stored = new HashSet<>(classes(found));
    stored.remove(MR_IMAGE);
    assertEquals(Set.of(StoreTestServer.SEGMENTATION, StoreTestServer.COMPREHENSIVE_SR),
        stored, "QIDO-RS answer: " + found.encode());
    for (Object o : found) {
      JsonObject instance = (JsonObject) o;
      if (instance.getJsonObject("00080016").getJsonArray("Value").getString(0).equals(MR_IMAGE)) {
        continue;
      }
      String series = instance.getJsonObject("0020000E").getJsonArray("Value").getString(0);
      String sop = instance.getJsonObject("00080018").getJsonArray("Value").getString(0);
      AttributeList header = StoreTestServer.read(firstPart(getBytes("/studies/" + study
          + "/series/" + series + "/instances/" + sop)));
      assertEquals(study, Attribute.getSingleStringValueOrEmptyString(header,
          TagFromName.StudyInstanceUID));
      assertTrue(stored.contains(Attribute.getSingleStringValueOrEmptyString(header,
          TagFromName.SOPClassUID)));
    }
  }

  @Test
  void pacsStudies_dicomWebPull_storedWithoutBeingAsked(Vertx vertx) throws Exception {
    String study = StoreTestServer.exampleStudyUid();
    orthanc.upload(java.nio.file.Files.readAllBytes(StoreTestServer.SLICE));
    IngestOptions ingest = storingTo("orthanc");
    ingest = ingest.withStore(ingest.store().withPacsStudies(true));
    List<AnalysisEvent> events = new ArrayList<>();
    try (StoreTestServer server = StoreTestServer.start(vertx, trees, ingest)) {
      server.stub().analyze(io.spoils.proto.v1.AnalyzeRequest.newBuilder()
          .setDicomweb(io.spoils.proto.v1.DicomWebStudy.newBuilder().setPacs("orthanc")
              .setStudyInstanceUid(study)).build()).forEachRemaining(events::add);
    }
    assertEquals(1, StoreTestServer.warnings(events, ResultStore.STORED).size(),
        "events: " + events);
    List<String> classes = classes(new JsonArray(get("/studies/" + study + "/instances",
        "application/dicom+json")));
    assertTrue(classes.containsAll(List.of(MR_IMAGE, StoreTestServer.SEGMENTATION,
        StoreTestServer.COMPREHENSIVE_SR)), classes.toString());
  }

  private static List<String> classes(JsonArray qido) {
    List<String> classes = new ArrayList<>();
    for (Object o : qido) {
      classes.add(((JsonObject) o).getJsonObject("00080016").getJsonArray("Value").getString(0));
    }
    return classes;
  }

  @Test
  void storeResults_pacsDown_notStoredWarningAndSummary(Vertx vertx) throws Exception {
    List<AnalysisEvent> events;
    try (StoreTestServer server = StoreTestServer.start(vertx, trees, storingTo("down"))) {
      events = server.analyze(true);
    }
    List<String> notStored = StoreTestServer.warnings(events, ResultStore.NOT_STORED);
    assertEquals(1, notStored.size(), "events: " + events);
    assertTrue(notStored.get(0).contains("DICOMweb PACS down is unreachable"), notStored.get(0));
    assertFalse(notStored.get(0).contains(StoreTestServer.exampleStudyUid()));
    assertTrue(events.get(events.size() - 1).hasSummary());
  }

  private String get(String path, String accept) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(orthanc.dicomWebUrl()
        + path)).header("Accept", accept).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    return r.body();
  }

  private HttpResponse<byte[]> getBytes(String path) throws Exception {
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(orthanc.dicomWebUrl()
        + path)).header("Accept", DicomWebClient.ACCEPT).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode(), path);
    return r;
  }

  /** The first part of a WADO-RS multipart answer, parsed by the gateway's own parser. */
  private static byte[] firstPart(HttpResponse<byte[]> r) throws Exception {
    MultipartRelated parser = new MultipartRelated(MultipartRelated.boundary(r.headers()
        .firstValue("Content-Type").orElse("")), 64L << 20, 10);
    parser.feed(r.body());
    return parser.finish().get(0).content();
  }
}
