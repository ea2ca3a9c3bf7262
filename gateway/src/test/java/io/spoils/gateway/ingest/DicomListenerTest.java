package io.spoils.gateway.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DecimalStringAttribute;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.config.IngestOptions;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.server.SpoilsServer;
import io.spoils.gateway.service.AnalysisService;
import io.spoils.gateway.testing.DefaultTrees;
import io.spoils.gateway.testing.ExampleBackend;
import io.spoils.gateway.testing.Storescu;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The C-STORE listener with a real sender, dcmtk's {@code storescu}: a two-slice series (the
 * bundled example and a copy one slice over) is sent, analysed, and its results fetched from
 * {@code GET /v1/received}. Skipped when storescu is not installed.
 */
@ExtendWith(VertxExtension.class)
@ExtendWith(DefaultTrees.class)
class DicomListenerTest {

  private static final Path SLICE = Path.of("examples/spider/slice.dcm");

  @TempDir
  static Path dir;
  private static XgbTreeGrader trees;
  private static Path first;
  private static Path second;
  private SpoilsServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void files(XgbTreeGrader defaultTrees) throws Exception {
    assumeTrue(Storescu.installed(), "dcmtk's storescu is not installed (apt-get install "
        + "dcmtk; bin/setup does): skipping");
    trees = defaultTrees;
    first = SLICE.toAbsolutePath();
    second = dir.resolve("second.dcm");
    neighbourSlice(first, second);
  }

  /** A copy of {@code from} with its own SOPInstanceUID, instance 2, 4 mm further along x. */
  private static void neighbourSlice(Path from, Path to) throws Exception {
    AttributeList list = new AttributeList();
    list.read(from.toString());
    String uid = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPInstanceUID)
        + ".2";
    for (var tag : List.of(TagFromName.SOPInstanceUID, TagFromName.MediaStorageSOPInstanceUID)) {
      Attribute a = new UniqueIdentifierAttribute(tag);
      a.addValue(uid);
      list.put(a);
    }
    Attribute number = new IntegerStringAttribute(TagFromName.InstanceNumber);
    number.addValue(2);
    list.put(number);
    Attribute position = new DecimalStringAttribute(TagFromName.ImagePositionPatient);
    position.addValue(4.0);
    position.addValue(0.0);
    position.addValue(0.0);
    list.put(position);
    list.write(to.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
  }

  private void start(Vertx vertx, String ae) throws Exception {
    start(vertx, ServerOptions.defaults().withHost("127.0.0.1").withPort(0)
        .withIngest(IngestOptions.defaults().withDicomListener(0, ae)));
  }

  private void start(Vertx vertx, ServerOptions options) throws Exception {
    AnalysisService service = new AnalysisService(vertx, new ExampleBackend(7, 16).withDeadlines(vertx), "fake",
        trees, options);
    server = SpoilsServer.start(vertx, service).toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** Runs storescu (bounded); its exit code. */
  private int storescu(String calledAe, Path... files) throws Exception {
    List<String> args = new ArrayList<>(List.of("-aec", calledAe, "-to", "20", "127.0.0.1",
        Integer.toString(server.dicomPort().getAsInt())));
    for (Path f : files) {
      args.add(f.toString());
    }
    return Storescu.run(dir.resolve("storescu.log"), args).getKey();
  }


  private JsonObject get(String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + server.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }

  /** Polls {@code GET /v1/received} until {@code count} analyses have ended (bounded). */
  private JsonArray awaitFinished(int count) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < end) {
      JsonArray list = get("/v1/received").getJsonArray("analyses");
      long finished = list.stream().map(JsonObject.class::cast)
          .filter(j -> j.getString("state").equals("done") || j.getString("state").equals("failed"))
          .count();
      if (finished >= count) {
        return list;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no finished analysis within 60 s: " + get("/v1/received"));
  }

  @Test
  void storescu_twoSliceSeries_analysedAndRetrievable(Vertx vertx) throws Exception {
    start(vertx, "SPOILS");
    assertEquals(0, storescu("SPOILS", first, second), () -> log());
    JsonArray list = awaitFinished(1);
    assertEquals(1, list.size());
    JsonObject entry = list.getJsonObject(0);
    assertEquals("done", entry.getString("state"), entry::encodePrettily);
    assertEquals(2, entry.getInteger("filesReceived"));
    assertTrue(entry.getJsonObject("summary").getJsonObject("summary").getInteger("discsGraded")
        > 0);
    assertFalse(entry.encode().contains(
        Attribute.getSingleStringValueOrEmptyString(header(first), TagFromName.StudyInstanceUID)));
    JsonObject full = get("/v1/received/" + entry.getString("id"));
    JsonArray events = full.getJsonArray("events");
    assertEquals(2, events.getJsonObject(0).getJsonObject("accepted").getInteger("filesReceived"));
    assertTrue(events.getJsonObject(events.size() - 1).containsKey("summary"));
    String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + server.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    assertTrue(metrics.contains("spoils_dicom_received_total 2.0"), metrics);
    assertTrue(metrics.contains("spoils_dicom_temp_bytes 0.0"), "temp files left behind");
    assertTrue(metrics.contains("spoils_dicom_series_total{outcome=\"done\"} 1.0"));
  }

  @Test
  void storescu_enhancedMrSeriesInOneObject_analysedFrameBySlice(Vertx vertx) throws Exception {
    start(vertx, "SPOILS");
    // the example twice, 4 mm apart, as one Enhanced MR Image Storage object of two frames
    io.spoils.feature.dicom.DicomSlice slice = io.spoils.feature.dicom.DicomReader.create()
        .read(first);
    Path enhanced = dir.resolve("enhanced.dcm");
    java.nio.file.Files.write(enhanced, io.spoils.feature.tooling.dicom.EnhancedMrWriter.write(
        List.of(slice.image(), slice.image()), io.spoils.feature.tooling.dicom.MrParams.of(
            io.spoils.feature.tooling.dicom.DicomWriter.newUid())
            .withGeometry(slice.imageOrientationPatient(), null)
            .withTiming(slice.echoTimeMs(), slice.repetitionTimeMs()),
        List.of(new double[] {0, 0, 0}, new double[] {4, 0, 0})));
    assertEquals(0, storescu("SPOILS", enhanced), () -> log());
    JsonObject entry = awaitFinished(1).getJsonObject(0);
    assertEquals("done", entry.getString("state"), entry::encodePrettily);
    assertEquals(1, entry.getInteger("filesReceived"));
    JsonArray events = get("/v1/received/" + entry.getString("id")).getJsonArray("events");
    assertEquals(2, events.getJsonObject(0).getJsonObject("accepted").getJsonObject("series")
        .getInteger("sliceCount"));
    JsonObject measured = events.stream().map(JsonObject.class::cast)
        .filter(e -> e.containsKey("segmentation")).findFirst().orElseThrow()
        .getJsonObject("segmentation").getJsonObject("measuredSlice");
    assertTrue(measured.getInteger("frameNumber") >= 1, measured::encode);
  }

  @Test
  void storescu_wrongCalledAeOrUnknownId_refused(Vertx vertx) throws Exception {
    start(vertx, "SPOILS");
    assertNotEquals(0, storescu("SOMEONE_ELSE", first), () -> log());
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + server.port() + "/v1/received/nope")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(404, r.statusCode());
    assertEquals(0, get("/v1/received").getJsonArray("analyses").size());
  }

  @Test
  void storescu_seriesOverFileLimit_failedTooLargeAndDiscarded(Vertx vertx) throws Exception {
    start(vertx, new ServerOptions("127.0.0.1", 0, 2, 2, 64L << 20, 1, 60, 2)
        .withIngest(IngestOptions.defaults().withDicomListener(0, "SPOILS")));
    assertEquals(0, storescu("SPOILS", first, second), () -> log());
    JsonObject entry = awaitFinished(1).getJsonObject(0);
    assertEquals("failed", entry.getString("state"), entry::encodePrettily);
    assertEquals(2, entry.getInteger("filesReceived"));
    assertEquals(413, entry.getJsonObject("error").getInteger("status"));
    assertTrue(entry.getJsonObject("error").getString("detail").contains("more than 1 files"));
    String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + server.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    assertTrue(metrics.contains("spoils_dicom_temp_bytes 0.0"), "temp files left behind");
    assertTrue(metrics.contains("spoils_dicom_discarded_total{reason=\"too_large\"} 1.0"),
        metrics);
  }

  private static AttributeList header(Path file) throws Exception {
    AttributeList list = new AttributeList();
    list.read(file.toString(), TagFromName.PixelData);
    return list;
  }

  private static String log() {
    try {
      return Files.readString(dir.resolve("storescu.log"));
    } catch (java.io.IOException e) {
      return "(no storescu log)";
    }
  }
}
