package io.spoils.gateway.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.tensor.BilinearResize;
import io.spoils.feature.tensor.FloatTensor;
import io.spoils.feature.tensor.SegmentationInput;
import io.spoils.feature.tensor.SegmentationOutput;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * End-to-end parity of segmentation with the Python training code, from the segmentation helper's
 * fixtures ({@code src/test/resources/parity/spine_segmentation/}, written by
 * export_segmentation.py): Java's {@link SegmentationInput} equals {@code input.f32} within 1e-5;
 * ONNX Runtime's logits on {@code input.f32} equal PyTorch's (sampled every 4th row and column)
 * within 1e-4; Java's semantic map from those logits equals {@code semantic.png} except where the
 * two classes involved are within twice that tolerance of each other. Skips until they exist.
 */
class SegmentationParityTest {

  private final ParityFixtures fixtures = new ParityFixtures(RealModelRepositoryTest.SEGMENTATION);

  @Test
  void spineSegmentation_javaProcessingAndOnnxRuntimeMatchPython() throws Exception {
    JsonNode meta = fixtures.meta();
    assumeTrue(meta != null, "no spine_segmentation parity fixtures yet: skipping");
    ModelRepository repository = ModelRepository.load(RealModelRepositoryTest.repositoryPath());
    assumeTrue(repository.model(RealModelRepositoryTest.SEGMENTATION).isPresent(),
        "model spine_segmentation not in triton-models/ yet: skipping");
    double logitTolerance = meta.get("tolerance").get("logits").asDouble();

    GreyImage image = fixtures.image(meta.get("image").get("file").asText(), ParityFixtures.spacing(meta));
    FloatTensor pythonInput = fixtures.tensor(meta.get("input"));
    ParityFixtures.assertClose(pythonInput.data(), SegmentationInput.prepare(image).data(),
        meta.get("tolerance").get("input").asDouble(), "segmentation input");

    FloatTensor logits = run(repository, pythonInput).batchItem(0);
    JsonNode sampled = meta.get("logits");
    ParityFixtures.assertClose(fixtures.tensor(sampled).data(),
        subsample(logits, sampled.get("row_stride").asInt(), sampled.get("col_stride").asInt()).data(),
        logitTolerance, "logits");

    LabelMap map = SegmentationOutput.toSemanticMap(logits, image.height(), image.width(), image.spacing());
    GreyImage expected = fixtures.image(meta.get("semantic").get("file").asText(), image.spacing());
    FloatTensor resized = BilinearResize.resize(logits, image.height(), image.width());
    int plane = image.width() * image.height();
    int mismatches = 0;
    for (int p = 0; p < plane; p++) {
      int actualId = map.labels()[p] & 0xFF;
      int expectedId = (int) expected.pixels()[p];
      if (actualId != expectedId) {
        mismatches++;
        double gap = resized.data()[classOf(actualId) * plane + p] - resized.data()[classOf(expectedId) * plane + p];
        assertTrue(Math.abs(gap) <= 2 * logitTolerance, "pixel " + p + ": " + actualId + " instead of "
            + expectedId + " with a logit gap of " + gap);
      }
    }
    assertTrue(mismatches <= plane / 1000, mismatches + " near-tie pixels differ");
  }

  private static FloatTensor run(ModelRepository repository, FloatTensor input) throws Exception {
    Vertx vertx = Vertx.vertx();
    OnnxRuntimeBackend backend = new OnnxRuntimeBackend(vertx, repository, OnnxRuntimeOptions.defaults());
    try {
      OnnxRuntimeBackendTest.await(backend.ready());
      FloatTensor logits = OnnxRuntimeBackendTest.await(backend.infer(InferRequest.of(
          RealModelRepositoryTest.SEGMENTATION, Map.of(SegmentationInput.INPUT_NAME, input),
          Deadline.after(Duration.ofMinutes(2))))).output(SegmentationOutput.OUTPUT_NAME);
      assertArrayEquals(new long[] {1, 4, SegmentationInput.ROWS, SegmentationInput.COLS}, logits.shape());
      return logits;
    } finally {
      OnnxRuntimeBackendTest.await(backend.close());
      OnnxRuntimeBackendTest.await(vertx.close());
    }
  }

  /** Every {@code rowStride}-th row and {@code colStride}-th column of a [c, h, w] tensor. */
  private static FloatTensor subsample(FloatTensor t, int rowStride, int colStride) {
    int c = (int) t.dim(0);
    int h = (int) t.dim(1);
    int w = (int) t.dim(2);
    int hs = (h + rowStride - 1) / rowStride;
    int ws = (w + colStride - 1) / colStride;
    float[] out = new float[c * hs * ws];
    int k = 0;
    for (int ch = 0; ch < c; ch++) {
      for (int y = 0; y < h; y += rowStride) {
        for (int x = 0; x < w; x += colStride) {
          out[k++] = t.data()[(ch * h + y) * w + x];
        }
      }
    }
    return FloatTensor.of(out, 1, c, hs, ws);
  }

  private static int classOf(int spiderId) {
    for (int c = 0; c < SegmentationOutput.CLASSES; c++) {
      if (SegmentationOutput.spiderId(c) == spiderId) {
        return c;
      }
    }
    throw new AssertionError("not a SPIDER id: " + spiderId);
  }
}
