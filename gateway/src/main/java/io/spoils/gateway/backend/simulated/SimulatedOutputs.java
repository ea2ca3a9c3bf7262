package io.spoils.gateway.backend.simulated;

import io.spoils.feature.tensor.FloatTensor;
import io.spoils.feature.tensor.SegmentationInput;
import io.spoils.feature.tensor.SegmentationOutput;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicReferenceArray;
import javax.imageio.ImageIO;

/**
 * The simulated backend's answers, built once: segmentation logits from a recorded SPIDER label
 * map, and a fixed grading distribution. Tensors handed out share these arrays (callers must not
 * modify tensor data, see {@link FloatTensor}), so a call costs no copy.
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

  private static final int PLANE = SegmentationInput.ROWS * SegmentationInput.COLS;
  private static final int ITEM = SegmentationOutput.CLASSES * PLANE;

  private final float[] logitsItem;
  private final AtomicReferenceArray<FloatTensor> logitsByBatch;
  private final FloatTensor[] gradingByBatch;

  SimulatedOutputs(int segmentationMaxBatch, int gradingMaxBatch) {
    this.logitsItem = logits(readMaskClasses());
    this.logitsByBatch = new AtomicReferenceArray<>(segmentationMaxBatch + 1);
    this.gradingByBatch = new FloatTensor[gradingMaxBatch + 1];
    for (int n = 1; n <= gradingMaxBatch; n++) {
      float[] data = new float[n * GRADING.length];
      for (int i = 0; i < n; i++) {
        System.arraycopy(GRADING, 0, data, i * GRADING.length, GRADING.length);
      }
      gradingByBatch[n] = FloatTensor.of(data, n, GRADING.length);
    }
  }

  /** Logits {@code [n, 4, 320, 256]} FP32, the same item n times; built on first use per n. */
  FloatTensor logits(int n) {
    FloatTensor t = logitsByBatch.get(n);
    if (t == null) {
      float[] data = new float[n * ITEM];
      for (int i = 0; i < n; i++) {
        System.arraycopy(logitsItem, 0, data, i * ITEM, ITEM);
      }
      logitsByBatch.compareAndSet(n, null, FloatTensor.of(data, n, SegmentationOutput.CLASSES,
          SegmentationInput.ROWS, SegmentationInput.COLS));
      t = logitsByBatch.get(n);
    }
    return t;
  }

  /** Probabilities {@code [n, 11]} FP32, {@link #GRADING} in each row. */
  FloatTensor grading(int n) {
    return gradingByBatch[n];
  }

  /** One item {@code [4, 320, 256]}: {@link #LOGIT} in the plane of each pixel's class. */
  private static float[] logits(int[] classes) {
    float[] data = new float[ITEM];
    for (int p = 0; p < PLANE; p++) {
      data[classes[p] * PLANE + p] = LOGIT;
    }
    return data;
  }

  /**
   * The bundled mask resized to 320 x 256 by nearest neighbour (the pixel whose centre is closest,
   * as the contract's resize formula places centres), as model classes 0-3.
   */
  static int[] readMaskClasses() {
    Raster raster = readMask().getRaster();
    int h0 = raster.getHeight();
    int w0 = raster.getWidth();
    int[] classes = new int[PLANE];
    for (int y = 0; y < SegmentationInput.ROWS; y++) {
      int sy = Math.min(h0 - 1, (int) ((y + 0.5) * h0 / SegmentationInput.ROWS));
      for (int x = 0; x < SegmentationInput.COLS; x++) {
        int sx = Math.min(w0 - 1, (int) ((x + 0.5) * w0 / SegmentationInput.COLS));
        classes[y * SegmentationInput.COLS + x] = modelClass(raster.getSample(sx, sy, 0));
      }
    }
    return classes;
  }

  private static int modelClass(int spiderId) {
    for (int c = 0; c < SegmentationOutput.CLASSES; c++) {
      if (SegmentationOutput.spiderId(c) == spiderId) {
        return c;
      }
    }
    throw new IllegalStateException("the simulated backend's mask holds value " + spiderId
        + ", not a SPIDER label");
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
