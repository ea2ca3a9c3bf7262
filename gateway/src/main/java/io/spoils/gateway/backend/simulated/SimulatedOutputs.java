package io.spoils.gateway.backend.simulated;

import io.spoils.feature.image.PixelSpacing;
import io.spoils.feature.tensor.FloatTensor;
import io.spoils.feature.tensor.SegmentationGrid;
import io.spoils.feature.tensor.SegmentationOutput;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.ImageIO;

/**
 * The simulated backend's answers: segmentation logits from a recorded SPIDER label map, and a
 * fixed grading distribution. Tensors handed out share arrays kept here (callers must not modify
 * tensor data, see {@link FloatTensor}), so a repeated call costs no copy.
 *
 * <p>The recorded map is the bundled example's expert mask on the model's 0.8 mm grid (its
 * {@link #MASK_SPACING} resampled as CONTRACT.md says, nearest neighbour), with its lowest disc as
 * the lumbosacral disc (class 4), as the training labels have it. A request of Hp x Wp gets it at
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

  private static final int CLASSES = SegmentationOutput.CLASSES;

  private final RecordedMap recorded;
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
    int plane = Math.multiplyExact(rows, cols);
    int item = CLASSES * plane;
    float[] data = new float[Math.multiplyExact(n, item)];
    for (int y = 0; y < rows; y++) {
      for (int x = 0; x < cols; x++) {
        int c = y < recorded.rows() && x < recorded.cols() ? recorded.classes()[y * recorded.cols() + x] : 0;
        data[c * plane + y * cols + x] = LOGIT;
      }
    }
    for (int i = 1; i < n; i++) {
      System.arraycopy(data, 0, data, i * item, item);
    }
    return FloatTensor.of(data, n, CLASSES, rows, cols);
  }

  /**
   * The recorded map: model classes 0-4 on a {@code rows x cols} grid, row-major.
   *
   * @param rows resampled rows H1 of the bundled example
   * @param cols resampled columns W1
   * @param classes class per pixel
   */
  record RecordedMap(int rows, int cols, int[] classes) { }

  /**
   * The bundled mask on the 0.8 mm grid by nearest neighbour (the pixel whose centre is closest,
   * as the contract's resize formula places centres), as model classes 0-3, then its lowest disc
   * (4-connected piece with the largest mean row) as class 4.
   */
  static RecordedMap readMaskClasses() {
    Raster raster = readMask().getRaster();
    int h0 = raster.getHeight();
    int w0 = raster.getWidth();
    SegmentationGrid grid = SegmentationGrid.of(h0, w0, MASK_SPACING);
    int rows = grid.rows1();
    int cols = grid.cols1();
    int[] classes = new int[rows * cols];
    for (int y = 0; y < rows; y++) {
      int sy = Math.min(h0 - 1, (int) ((y + 0.5) * h0 / rows));
      for (int x = 0; x < cols; x++) {
        int sx = Math.min(w0 - 1, (int) ((x + 0.5) * w0 / cols));
        classes[y * cols + x] = modelClass(raster.getSample(sx, sy, 0));
      }
    }
    markLowestDisc(classes, rows, cols);
    return new RecordedMap(rows, cols, classes);
  }

  /** Relabels the disc piece (class 1) with the largest mean row as the lumbosacral disc. */
  private static void markLowestDisc(int[] classes, int rows, int cols) {
    int[] piece = new int[classes.length];
    int pieces = 0;
    int lowest = 0;
    double lowestRow = -1;
    for (int p = 0; p < classes.length; p++) {
      if (classes[p] != 1 || piece[p] != 0) {
        continue;
      }
      pieces++;
      long rowSum = 0;
      int size = 0;
      ArrayDeque<Integer> todo = new ArrayDeque<>(List.of(p));
      piece[p] = pieces;
      while (!todo.isEmpty()) {
        int q = todo.poll();
        rowSum += q / cols;
        size++;
        int y = q / cols;
        int x = q % cols;
        int[] next = {y > 0 ? q - cols : -1, y < rows - 1 ? q + cols : -1, x > 0 ? q - 1 : -1,
            x < cols - 1 ? q + 1 : -1};
        for (int r : next) {
          if (r >= 0 && classes[r] == 1 && piece[r] == 0) {
            piece[r] = pieces;
            todo.add(r);
          }
        }
      }
      if ((double) rowSum / size > lowestRow) {
        lowestRow = (double) rowSum / size;
        lowest = pieces;
      }
    }
    for (int p = 0; p < classes.length; p++) {
      if (lowest > 0 && piece[p] == lowest) {
        classes[p] = SegmentationOutput.LUMBOSACRAL_CLASS;
      }
    }
  }

  private static int modelClass(int spiderId) {
    for (int c = 0; c < CLASSES; c++) {
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
