package io.spoils.gateway.backend.simulated;

import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelSpacing;
import io.spoils.feature.tensor.FloatTensor;
import io.spoils.feature.tensor.MaskLogits;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.ImageIO;

/**
 * The simulated backend's answers: segmentation logits from a recorded SPIDER label map, and a
 * fixed grading distribution. Tensors handed out share arrays kept here (callers must not modify
 * tensor data, see {@link FloatTensor}), so a repeated call costs no copy.
 *
 * <p>The recorded map is the bundled example's expert mask on the model's 0.8 mm grid (at its
 * {@link #MASK_SPACING}, {@link MaskLogits}), with its lowest disc as the lumbosacral disc
 * (class 4), as the training labels have it. A request of Hp x Wp gets it at
 * the top-left, cut to Hp x Wp where larger, background elsewhere: for the bundled example (the
 * load kit's study) this is exactly where the gateway reads it back.
 */
final class SimulatedOutputs {

  /**
   * The fixed CNN probabilities, in the contract's class order {@code 1L 2L 3L 3M 3H 4L 4M 4H 5L 5M
   * 5H}: most mass on 3L (0.40) and 3M (0.20), summing to 1. A plausible spread for a degenerating
   * lumbar disc, chosen so the ensemble and the treatment rule have something to combine; it says
   * nothing about any patient.
   */
  static final float[] GRADING = {0.02f, 0.08f, 0.40f, 0.20f, 0.05f, 0.10f, 0.06f, 0.03f, 0.03f,
      0.02f, 0.01f};
  /** Logit of a pixel's recorded class; every other class gets 0. */
  static final float LOGIT = 8f;
  /** Classpath resource: the bundled example's expert mask (gateway/examples/spider/mask.png). */
  static final String MASK_RESOURCE = "mask.png";
  /** Pixel spacing of the bundled example (its slice.dcm's PixelSpacing). */
  static final PixelSpacing MASK_SPACING = new PixelSpacing(0.46875, 0.46875);
  /** Shapes of logits kept for reuse; beyond this many, answers are built per call. */
  private static final int CACHED_SHAPES = 32;

  private final MaskLogits.Classes recorded;
  private final Map<List<Integer>, FloatTensor> logitsByShape = new ConcurrentHashMap<>();
  private final FloatTensor[] gradingByBatch;

  SimulatedOutputs(int gradingMaxBatch) {
    this.recorded = readMaskClasses();
    this.gradingByBatch = new FloatTensor[gradingMaxBatch + 1];
    for (int n = 1; n <= gradingMaxBatch; n++) {
      float[] data = new float[n * GRADING.length];
      for (int i = 0; i < n; i++) {
        System.arraycopy(GRADING, 0, data, i * GRADING.length, GRADING.length);
      }
      gradingByBatch[n] = FloatTensor.of(data, n, GRADING.length);
    }
  }

  /** Logits {@code [n, 5, rows, cols]} FP32, the same item n times; kept per shape once built. */
  FloatTensor logits(int n, int rows, int cols) {
    List<Integer> key = List.of(n, rows, cols);
    FloatTensor t = logitsByShape.get(key);
    if (t == null) {
      t = build(n, rows, cols);
      if (logitsByShape.size() < CACHED_SHAPES) {
        logitsByShape.putIfAbsent(key, t);
      }
    }
    return t;
  }

  /** Probabilities {@code [n, 11]} FP32, {@link #GRADING} in each row. */
  FloatTensor grading(int n) {
    return gradingByBatch[n];
  }

  private FloatTensor build(int n, int rows, int cols) {
    FloatTensor item = MaskLogits.logits(recorded, rows, cols, LOGIT);
    return FloatTensor.stack(java.util.Collections.nCopies(n, item));
  }

  /**
   * The bundled mask on the 0.8 mm grid, as model classes with its lowest disc as the lumbosacral
   * disc ({@link MaskLogits#resampled}).
   */
  static MaskLogits.Classes readMaskClasses() {
    Raster raster = readMask().getRaster();
    int h0 = raster.getHeight();
    int w0 = raster.getWidth();
    byte[] labels = new byte[h0 * w0];
    for (int y = 0; y < h0; y++) {
      for (int x = 0; x < w0; x++) {
        labels[y * w0 + x] = (byte) raster.getSample(x, y, 0);
      }
    }
    try {
      return MaskLogits.resampled(new LabelMap(w0, h0, labels, MASK_SPACING, LabelMap.Scheme.SPIDER));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("the simulated backend's mask is not a SPIDER mask: "
          + e.getMessage(), e);
    }
  }

  private static BufferedImage readMask() {
    try (InputStream in = SimulatedOutputs.class.getResourceAsStream(MASK_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + MASK_RESOURCE + " is missing from the jar");
      }
      BufferedImage image = ImageIO.read(in);
      if (image == null || image.getRaster().getNumBands() != 1) {
        throw new IllegalStateException("resource " + MASK_RESOURCE + " is not a grey PNG");
      }
      return image;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + MASK_RESOURCE, e);
    }
  }
}
