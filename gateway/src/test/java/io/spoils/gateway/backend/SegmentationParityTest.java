package io.spoils.gateway.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.tensor.BilinearResize;
import io.spoils.feature.tensor.FloatTensor;
import io.spoils.feature.tensor.SegmentationGrid;
import io.spoils.feature.tensor.SegmentationInput;
import io.spoils.feature.tensor.SegmentationOutput;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * End-to-end parity of segmentation with the Python training code, from the segmentation helper's
 * fixtures ({@code src/test/resources/parity/spine_segmentation/}, written by
 * export_segmentation.py, contract v2 at a non-square spacing): Java's {@link SegmentationInput}
 * equals {@code input.f32} within 1e-5; ONNX Runtime's logits on {@code input.f32}, through the
 * batched {@link InferenceBackend#segment} call (two slices), equal PyTorch's (sampled every 4th
 * row and column of the padded grid) within 1e-4; Java's semantic map from those logits (crop,
 * resize, argmax) equals {@code semantic.png} except where the two classes involved are within
 * twice that tolerance of each other. Skips until they exist.
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
    SegmentationGrid grid = SegmentationGrid.of(image.height(), image.width(), image.spacing());
    assertEquals(meta.get("resampled").get(0).asInt(), grid.rows1());
    assertEquals(meta.get("resampled").get(1).asInt(), grid.cols1());
    FloatTensor pythonInput = fixtures.tensor(meta.get("input"));
    FloatTensor javaInput = SegmentationInput.prepare(image);
    assertArrayEquals(pythonInput.batchItem(0).shape(), javaInput.shape());
    ParityFixtures.assertClose(pythonInput.data(), javaInput.data(),
        meta.get("tolerance").get("input").asDouble(), "segmentation input");

    JsonNode sampled = meta.get("logits");
    List<FloatTensor> both = run(repository, pythonInput.batchItem(0));
    for (FloatTensor logits : both) {
      assertArrayEquals(grid.outputShape(), logits.shape());
      ParityFixtures.assertClose(fixtures.tensor(sampled).data(),
          subsample(logits, sampled.get("row_stride").asInt(), sampled.get("col_stride").asInt()).data(),
          logitTolerance, "logits");
    }
    FloatTensor logits = both.get(0);

    LabelMap map = SegmentationOutput.toSemanticMap(logits, image.height(), image.width(), image.spacing());
    GreyImage expected = fixtures.image(meta.get("semantic").get("file").asText(), image.spacing());
    FloatTensor resized = BilinearResize.resize(crop(logits, grid.rows1(), grid.cols1()),
        image.height(), image.width());
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

  /** The logits of {@code input} [1, Hp, Wp], twice, from one batched segmentation call. */
  private static List<FloatTensor> run(ModelRepository repository, FloatTensor input) throws Exception {
    Vertx vertx = Vertx.vertx();
    OnnxRuntimeBackend backend = new OnnxRuntimeBackend(vertx, repository, OnnxRuntimeOptions.defaults());
    try {
      OnnxRuntimeBackendTest.await(backend.ready());
      SegmentationResult result = OnnxRuntimeBackendTest.await(backend.segment(
          List.of(input, input), Deadline.after(Duration.ofMinutes(2))));
      assertEquals(RealModelRepositoryTest.SEGMENTATION, result.model());
      assertEquals(2, result.logits().size());
      return result.logits();
    } finally {
      OnnxRuntimeBackendTest.await(backend.close());
      OnnxRuntimeBackendTest.await(vertx.close());
    }
  }

  /** The top-left {@code rows x cols} of every plane of a [c, h, w] tensor. */
  private static FloatTensor crop(FloatTensor t, int rows, int cols) {
    int c = (int) t.dim(0);
    int h = (int) t.dim(1);
    int w = (int) t.dim(2);
    float[] out = new float[c * rows * cols];
    for (int ch = 0; ch < c; ch++) {
      for (int y = 0; y < rows; y++) {
        System.arraycopy(t.data(), (ch * h + y) * w, out, (ch * rows + y) * cols, cols);
      }
    }
    return FloatTensor.of(out, c, rows, cols);
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
