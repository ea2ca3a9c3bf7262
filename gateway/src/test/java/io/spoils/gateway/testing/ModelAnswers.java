package io.spoils.gateway.testing;

import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelBox;
import io.spoils.feature.tensor.FloatTensor;
import io.spoils.feature.tensor.MaskLogits;
import io.spoils.feature.tensor.SegmentationGrid;
import io.spoils.feature.tensor.SegmentationOutput;
import io.spoils.gateway.backend.ModelRegistry;
import io.spoils.gateway.backend.ModelSpec;
import io.spoils.gateway.backend.TensorSpec;
import io.spoils.gateway.pipeline.SeriesOptions;
import io.spoils.proto.inference.DataType;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Model answers in the shapes of {@code triton-models/CONTRACT.md}, for {@link ExampleBackend} and
 * tests that build answers themselves: one-hot segmentation logits of a SPIDER mask, fixed grade
 * probabilities, the two models' specs.
 */
public final class ModelAnswers {

  /** The fixed CNN probabilities of every grading answer: most mass on 4M. */
  public static final float[] CNN = {0.01f, 0.02f, 0.05f, 0.1f, 0.1f, 0.1f, 0.4f, 0.1f, 0.05f,
      0.04f, 0.03f};

  private ModelAnswers() {}

  /**
   * [1, 5, Hp, Wp] one-hot logits of {@code mask} on a request's padded grid: the whole mask, or
   * the part inside the box a series' boxed slices are cut to (the pipeline finds the same box on
   * the same mask), else the mask cut or padded to the grid.
   */
  public static FloatTensor maskLogits(LabelMap mask, int paddedRows, int paddedCols) {
    FloatTensor whole = oneHotLogits(mask);
    if (whole.dim(2) == paddedRows && whole.dim(3) == paddedCols) {
      return whole;
    }
    // a series' boxed slices (SeriesSegmenter): the mask inside the box the pipeline finds
    SeriesOptions options = SeriesOptions.defaults();
    LabelMap map = SegmentationOutput.toSemanticMap(whole.batchItem(0), mask.height(),
        mask.width(), mask.spacing());
    var box = PixelBox.around(map, options.boxMarginMm(), options.boxMinMm())
        .map(b -> b.fitted(mask.width(), mask.height(), mask.spacing(), options.outerSliceMm(),
            SegmentationGrid.PAD));
    if (box.isPresent()) {
      FloatTensor part = oneHotLogits(box.get().crop(mask));
      if (part.dim(2) == paddedRows && part.dim(3) == paddedCols) {
        return part;
      }
    }
    return FloatTensor.stack(List.of(MaskLogits.logits(MaskLogits.resampled(mask), paddedRows,
        paddedCols, 10f)));
  }

  /** [1, 5, Hp, Wp] logits that say background everywhere (no spine found). */
  public static FloatTensor background(int paddedRows, int paddedCols) {
    int plane = paddedRows * paddedCols;
    float[] data = new float[SegmentationOutput.CLASSES * plane];
    Arrays.fill(data, 0, plane, 10f);
    return new FloatTensor(new long[] {1, SegmentationOutput.CLASSES, paddedRows, paddedCols},
        data);
  }

  /**
   * A SPIDER-scheme mask as the segmentation model's {@code [1, 5, Hp, Wp]} logits (contract v2,
   * {@link MaskLogits}): 10 for the mask's class on the model's 0.8 mm grid, 0 elsewhere. The
   * pipeline's semantic map is the mask again up to about a pixel along class borders, with its
   * lowest disc as the lumbosacral disc (31).
   */
  public static FloatTensor oneHotLogits(LabelMap mask) {
    return FloatTensor.stack(List.of(MaskLogits.of(mask, 10f)));
  }

  /**
   * A batch of {@code n} copies of the one item of {@code single} ({@code [1, ...]}): the answer
   * for a series whose slices all get the same segmentation.
   */
  public static FloatTensor repeated(FloatTensor single, int n) {
    return FloatTensor.stack(Collections.nCopies(n, single.batchItem(0)));
  }

  /** {@code n} copies of {@link #CNN}, shape [n, 11]: the grading answer. */
  public static FloatTensor grading(int n) {
    float[] data = new float[n * CNN.length];
    for (int i = 0; i < n; i++) {
      System.arraycopy(CNN, 0, data, i * CNN.length, CNN.length);
    }
    return new FloatTensor(new long[] {n, CNN.length}, data);
  }

  /**
   * The two models as CONTRACT.md specifies them (version 7, fake file names), for test backends
   * that answer in the contract's shapes.
   */
  public static List<ModelSpec> contractModels(int gradingMaxBatch) {
    return List.of(
        new ModelSpec(ModelRegistry.SEGMENTATION.name(), 7, "onnxruntime_onnx", 4,
            List.of(new TensorSpec("image", DataType.TYPE_FP32, List.of(1L, -1L, -1L))),
            List.of(new TensorSpec("logits", DataType.TYPE_FP32, List.of(5L, -1L, -1L))),
            Path.of("fake-seg.onnx")),
        new ModelSpec(ModelRegistry.DISC_GRADING.name(), 7, "onnxruntime_onnx", gradingMaxBatch,
            List.of(new TensorSpec("crop", DataType.TYPE_FP32, List.of(1L, 128L, 128L))),
            List.of(new TensorSpec("probabilities", DataType.TYPE_FP32, List.of(11L))),
            Path.of("fake-cnn.onnx")));
  }
}
