package io.spoils.gateway.backend.simulated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.tensor.FloatTensor;
import io.spoils.feature.tensor.SegmentationOutput;
import io.spoils.gateway.backend.BackendException;
import io.spoils.gateway.backend.BackendStatus;
import io.spoils.gateway.backend.Deadline;
import io.spoils.gateway.backend.InferRequest;
import io.spoils.gateway.backend.InferResponse;
import io.spoils.gateway.backend.ModelSpec;
import io.spoils.gateway.backend.SegmentationResult;
import io.spoils.gateway.pipeline.AnalysisPipeline;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The simulated backend alone: latency, contract shapes, labels, the errors real backends give. */
@ExtendWith(VertxExtension.class)
class SimulatedBackendTest {

  private static final Deadline LATER = Deadline.after(Duration.ofSeconds(30));

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static InferRequest segmentation(int n, Deadline deadline) {
    return InferRequest.of(AnalysisPipeline.SEGMENTATION_MODEL,
        Map.of("image", FloatTensor.zeros(n, 1, 384, 320)), deadline);
  }

  private static InferRequest grading(int n) {
    return InferRequest.of(AnalysisPipeline.GRADING_MODEL,
        Map.of("crop", FloatTensor.zeros(n, 1, 128, 128)), LATER);
  }

  private static BackendStatus failure(Future<?> f) {
    var e = assertThrows(ExecutionException.class, () -> await(f));
    return assertInstanceOf(BackendException.class, e.getCause()).status();
  }

  @Test
  void infer_latencySet_answersNoEarlierThanIt(Vertx vertx) throws Exception {
    SimulatedBackend backend = new SimulatedBackend(vertx, SimulatedOptions.of(40, 5));
    for (int i = 0; i < 3; i++) {
      long t0 = System.nanoTime();
      await(backend.infer(segmentation(1, LATER)));
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      // lower bound only: how much later the answer comes depends on the machine
      assertTrue(elapsedMs >= 39, "answered after " + elapsedMs + " ms, latency is 40 ms");
    }
  }

  @Test
  void infer_segmentation_contractShapeReproducesBundledMask(Vertx vertx) throws Exception {
    SimulatedBackend backend = new SimulatedBackend(vertx, SimulatedOptions.of(0, 0));
    InferResponse r = await(backend.infer(segmentation(2, LATER)));
    assertEquals(SimulatedBackend.VERSION, r.version());
    FloatTensor logits = r.output("logits");
    // the bundled example: 640 x 512 at 0.46875 mm -> 375 x 300 at 0.8 mm -> padded 384 x 320
    assertArrayEquals(new long[] {2, 5, 384, 320}, logits.shape());
    var recorded = SimulatedOutputs.readMaskClasses();
    assertEquals(375, recorded.grid().rows1());
    assertEquals(300, recorded.grid().cols1());
    // the argmax of the padded grid is the recorded map at the top-left, background elsewhere
    FloatTensor item = logits.batchItem(1);
    int plane = 384 * 320;
    int[] counts = new int[5];
    for (int y = 0; y < 384; y++) {
      for (int x = 0; x < 320; x++) {
        int expected = y < 375 && x < 300 ? recorded.classes()[y * 300 + x] : 0;
        assertEquals(SimulatedOutputs.LOGIT, item.data()[expected * plane + y * 320 + x]);
        counts[expected]++;
      }
    }
    for (int c = 1; c < 5; c++) {
      assertTrue(counts[c] > 100, "class " + c + " has only " + counts[c] + " pixels");
    }
    // back on the example's grid: the SPIDER-scheme map with the lumbosacral disc (31) lowest
    var map = SegmentationOutput.toSemanticMap(item, 640, 512, SimulatedOutputs.MASK_SPACING);
    int lowestDiscRow = -1;
    int lowestLumbosacralRow = -1;
    for (int p = 0; p < 640 * 512; p++) {
      int v = map.labels()[p] & 0xFF;
      if (v == 29) {
        lowestDiscRow = Math.max(lowestDiscRow, p / 512);
      } else if (v == SegmentationOutput.LUMBOSACRAL_DISC) {
        lowestLumbosacralRow = Math.max(lowestLumbosacralRow, p / 512);
      }
    }
    assertTrue(lowestLumbosacralRow > lowestDiscRow, lowestLumbosacralRow + " vs " + lowestDiscRow);
  }

  @Test
  void infer_segmentationOtherPaddedSize_cutOrPaddedRecording(Vertx vertx) throws Exception {
    SimulatedBackend backend = new SimulatedBackend(vertx, SimulatedOptions.of(0, 0));
    for (long[] size : new long[][] {{256, 256}, {512, 448}}) {
      FloatTensor logits = await(backend.infer(InferRequest.of(AnalysisPipeline.SEGMENTATION_MODEL,
          Map.of("image", FloatTensor.zeros(1, 1, size[0], size[1])), LATER))).output("logits");
      assertArrayEquals(new long[] {1, 5, size[0], size[1]}, logits.shape());
    }
  }

  @Test
  void segment_seriesOfFiveWithMaxBatchTwo_logitsPerSliceInOrder(Vertx vertx) throws Exception {
    SimulatedBackend backend = new SimulatedBackend(vertx, new SimulatedOptions(0, 0, 2, 16));
    List<FloatTensor> slices = java.util.Collections.nCopies(5, FloatTensor.zeros(1, 256, 288));
    SegmentationResult r = await(backend.segment(slices, LATER));
    assertEquals(AnalysisPipeline.SEGMENTATION_MODEL, r.model());
    assertEquals(SimulatedBackend.VERSION, r.version());
    assertEquals(5, r.logits().size());
    for (FloatTensor t : r.logits()) {
      assertArrayEquals(new long[] {5, 256, 288}, t.shape());
    }
  }

  @Test
  void infer_gradingBatch_fixedDistributionPerDisc(Vertx vertx) throws Exception {
    SimulatedBackend backend = new SimulatedBackend(vertx, SimulatedOptions.of(1, 0));
    FloatTensor p = await(backend.infer(grading(7))).output("probabilities");
    assertArrayEquals(new long[] {7, 11}, p.shape());
    for (int i = 0; i < 7; i++) {
      float[] row = p.batchItem(i).data();
      assertArrayEquals(SimulatedOutputs.GRADING, row);
      double sum = 0;
      for (float v : row) {
        sum += v;
      }
      assertEquals(1.0, sum, 1e-6);
    }
  }

  @Test
  void infer_badInputs_failLikeRealBackends(Vertx vertx) {
    SimulatedBackend backend = new SimulatedBackend(vertx, SimulatedOptions.of(1, 0));
    assertEquals(BackendStatus.INVALID_ARGUMENT, failure(backend.infer(InferRequest.of(
        AnalysisPipeline.GRADING_MODEL, Map.of("crop", FloatTensor.zeros(1, 1, 64, 64)), LATER))));
    assertEquals(BackendStatus.INVALID_ARGUMENT, failure(backend.infer(grading(17))));
    assertEquals(BackendStatus.NOT_FOUND, failure(backend.infer(InferRequest.of("other",
        Map.of("crop", FloatTensor.zeros(1, 1, 128, 128)), LATER))));
  }

  @Test
  void infer_deadlineBeforeLatency_deadlineExceeded(Vertx vertx) {
    SimulatedBackend backend = new SimulatedBackend(vertx, SimulatedOptions.of(5_000, 0));
    Deadline soon = Deadline.after(Duration.ofMillis(50));
    assertEquals(BackendStatus.DEADLINE_EXCEEDED, failure(backend.infer(segmentation(1, soon))));
  }

  @Test
  void close_laterCallsUnavailable(Vertx vertx) throws Exception {
    SimulatedBackend backend = new SimulatedBackend(vertx, SimulatedOptions.of(1, 0));
    await(backend.ready());
    await(backend.close());
    assertEquals(BackendStatus.UNAVAILABLE, failure(backend.infer(grading(1))));
  }

  @Test
  void models_labelledSimulatedWithContractSpecs(Vertx vertx) {
    SimulatedBackend backend = new SimulatedBackend(vertx, SimulatedOptions.defaults());
    assertEquals(2, backend.models().size());
    for (ModelSpec m : backend.models()) {
      assertEquals(SimulatedBackend.VERSION, m.version());
      assertEquals("simulated", m.platform());
    }
    ModelSpec seg = backend.model(AnalysisPipeline.SEGMENTATION_MODEL).orElseThrow();
    assertEquals(4, seg.maxBatchSize());
    assertEquals(java.util.List.of(1L, -1L, -1L), seg.inputs().get(0).dims());
    assertEquals(java.util.List.of(5L, -1L, -1L), seg.outputs().get(0).dims());
    ModelSpec cnn = backend.model(AnalysisPipeline.GRADING_MODEL).orElseThrow();
    assertEquals(16, cnn.maxBatchSize());
    assertEquals(java.util.List.of(1L, 128L, 128L), cnn.inputs().get(0).dims());
    assertTrue(backend.studyWarnings().get(0).startsWith("SIMULATED_BACKEND: "));
  }

  @Test
  void options_negativeLatency_rejected() {
    assertThrows(IllegalArgumentException.class, () -> SimulatedOptions.of(-1, 0));
    assertThrows(IllegalArgumentException.class, () -> SimulatedOptions.of(1, Double.NaN));
  }
}
