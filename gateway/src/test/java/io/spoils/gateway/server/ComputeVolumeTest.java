package io.spoils.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.pipeline.SyntheticSeries;
import io.spoils.gateway.testing.ExampleBackend;
import io.spoils.proto.v1.AnalysisEvent;
import io.spoils.proto.v1.AnalysisOptions;
import io.spoils.proto.v1.AnalysisServiceGrpc;
import io.spoils.proto.v1.AnalyzeRequest;
import io.spoils.proto.v1.DicomFile;
import io.spoils.proto.v1.DicomFiles;
import io.spoils.proto.v1.DiscResult;
import io.spoils.proto.v1.SliceChoice;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code compute_volume} over gRPC and HTTP on a synthetic seven-slice series
 * ({@link SyntheticSeries}): the measured slice chosen by anatomy is reported in the segmentation
 * event, and every disc carries its volume over five slices; without the option no volume is sent.
 */
@ExtendWith(VertxExtension.class)
class ComputeVolumeTest {

  private static final String BOUNDARY = "spoils-volume-boundary";
  private static SyntheticSeries series;
  private static List<byte[]> files;
  @RegisterExtension
  final StartedServer servers = new StartedServer();
  private TestServer server;

  @BeforeAll
  static void load() {
    series = new SyntheticSeries();
    files = series.dicom(true);
  }

  private void start(Vertx vertx) throws Exception {
    server = servers.start(vertx,
        ExampleBackend.forSeries(series.masks(), SyntheticSeries.CENTRE), ServerOptions.defaults());
  }

  private static AnalyzeRequest request(boolean computeVolume) {
    DicomFiles.Builder b = DicomFiles.newBuilder();
    for (int k = 0; k < files.size(); k++) {
      b.addFiles(DicomFile.newBuilder().setName("slice" + k).setContent(ByteString.copyFrom(
          files.get(k))));
    }
    return AnalyzeRequest.newBuilder().setFiles(b)
        .setOptions(AnalysisOptions.newBuilder().setComputeVolume(computeVolume)).build();
  }

  private static void assertVolumes(List<DiscResult> discs) {
    assertFalse(discs.isEmpty());
    List<Double> areas = series.discAreasMm2FromBottom();
    assertEquals(areas.size(), discs.size());
    for (int i = 0; i < discs.size(); i++) {
      DiscResult d = discs.get(i);
      assertTrue(d.getGeometry().hasVolumeMm3(), d.getLevel().name());
      assertEquals(SyntheticSeries.DISC_SLICES, d.getGeometry().getVolumeSliceCount());
      // the disc's area on the expert mask, on each of its five slices
      assertEquals(SyntheticSeries.DISC_SLICES * SyntheticSeries.SPACING_MM
          * areas.get(i), d.getGeometry().getVolumeMm3(),
          SyntheticSeries.VOLUME_TOLERANCE * d.getGeometry().getVolumeMm3(),
          d.getLevel().name());
    }
  }

  private static void assertChoice(SliceChoice c) {
    assertEquals(SyntheticSeries.WIDEST_CANAL, c.getSliceIndex());
    assertEquals(SyntheticSeries.SLICES - SyntheticSeries.WIDEST_CANAL, c.getInstanceNumber());
    assertEquals(SyntheticSeries.CENTRE, c.getGeometricCentreIndex());
    assertEquals(SyntheticSeries.SLICES, c.getSliceScoresMm2Count());
    assertTrue(c.getScoreMm2() > 0);
    assertFalse(c.getReason().isBlank());
  }

  @Test
  void grpcAnalyze_computeVolume_volumesAndTheChosenSlice(Vertx vertx) throws Exception {
    start(vertx);
    List<AnalysisEvent> events = new ArrayList<>();
    AnalysisServiceGrpc.newBlockingStub(server.channel).withDeadlineAfter(60, TimeUnit.SECONDS)
        .analyze(request(true)).forEachRemaining(events::add);
    assertTrue(events.get(events.size() - 1).hasSummary());
    assertChoice(events.stream().filter(AnalysisEvent::hasSegmentation).findFirst().orElseThrow()
        .getSegmentation().getMeasuredSlice());
    assertVolumes(events.stream().filter(AnalysisEvent::hasDisc).map(AnalysisEvent::getDisc)
        .toList());
  }

  @Test
  void grpcAnalyze_withoutComputeVolume_noVolume(Vertx vertx) throws Exception {
    start(vertx);
    List<AnalysisEvent> events = new ArrayList<>();
    AnalysisServiceGrpc.newBlockingStub(server.channel).withDeadlineAfter(60, TimeUnit.SECONDS)
        .analyze(request(false)).forEachRemaining(events::add);
    assertChoice(events.stream().filter(AnalysisEvent::hasSegmentation).findFirst().orElseThrow()
        .getSegmentation().getMeasuredSlice());
    assertTrue(events.stream().filter(AnalysisEvent::hasDisc)
        .noneMatch(e -> e.getDisc().getGeometry().hasVolumeMm3()));
  }

  @Test
  void httpMultipart_computeVolumeField_volumesInTheDiscEvents(Vertx vertx) throws Exception {
    start(vertx);
    HttpResponse<String> response = server.send(server.post("/v1/analyses",
        "multipart/form-data; boundary=" + BOUNDARY,
        TestDicom.multipart(BOUNDARY, files, "compute_volume", "true")).build());
    assertEquals(200, response.statusCode(), response.body());
    List<DiscResult> discs = new ArrayList<>();
    SliceChoice.Builder choice = SliceChoice.newBuilder();
    for (String line : response.body().split("\n")) {
      AnalysisEvent.Builder e = AnalysisEvent.newBuilder();
      com.google.protobuf.util.JsonFormat.parser().merge(line, e);
      if (e.hasDisc()) {
        discs.add(e.getDisc());
      } else if (e.hasSegmentation()) {
        choice.mergeFrom(e.getSegmentation().getMeasuredSlice());
      }
    }
    assertChoice(choice.build());
    assertVolumes(discs);
    JsonObject disc = new JsonObject(response.body().lines()
        .filter(l -> l.contains("\"disc\"")).findFirst().orElseThrow()).getJsonObject("disc");
    assertTrue(disc.getJsonObject("geometry").containsKey("volumeMm3"), disc.encode());
  }

  @Test
  void httpQuery_computeVolumeOnOneSlice_analysedWithAWarning(Vertx vertx) throws Exception {
    start(vertx);
    HttpResponse<String> response = server.send(server.post("/v1/analyses?compute_volume=true",
        "application/dicom", files.get(SyntheticSeries.WIDEST_CANAL)).build());
    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.body().contains("VOLUME_NOT_COMPUTED"), response.body());
    assertTrue(response.body().contains("\"summary\""), response.body());
    assertFalse(response.body().contains("volumeMm3"), response.body());
  }

  @Test
  void httpQuery_computeVolumeNotBoolean_400(Vertx vertx) throws Exception {
    start(vertx);
    HttpResponse<String> response = server.send(server.post("/v1/analyses?compute_volume=yes",
        "application/dicom", files.get(0)).build());
    SpoilsServerTest.assertProblem(response, 400);
    assertTrue(response.body().contains("compute_volume must be true or false"), response.body());
  }
}
