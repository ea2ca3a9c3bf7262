package io.spoils.feature.tensor;

import io.spoils.feature.image.LabelMap;
import java.util.ArrayDeque;

/**
 * The inverse of {@link SegmentationOutput}, for backends without a model (the simulated backend,
 * test doubles): one-hot {@code spine_segmentation} logits whose semantic map is a given
 * SPIDER-scheme mask, up to the resampling. The mask goes onto the model's 0.8 mm grid
 * ({@link SegmentationGrid} of its size and spacing) by nearest neighbour (the pixel whose centre
 * is closest, as the contract's resize places centres), each pixel's class gets {@code logit} and
 * the others 0; {@link SegmentationOutput#toSemanticMap} then gives the mask back except along
 * class borders, where the bilinear resize moves them by up to a pixel of 0.8 mm.
 *
 * <p>A mask without the lumbosacral disc (value {@value SegmentationOutput#LUMBOSACRAL_DISC}), such
 * as a SPIDER reference mask, gets its lowest disc as that class, as the model's training labels
 * do: the 4-connected disc piece of at least {@value #MIN_DISC_MM2} mm² with the largest mean row.
 */
public final class MaskLogits {

  /** Smallest disc piece taken as the lumbosacral disc, mm² (smaller ones are specks). */
  public static final double MIN_DISC_MM2 = 20;

  private MaskLogits() {
  }

  /**
   * Model classes on the resampled grid.
   *
   * @param grid the mask's grids
   * @param classes {@code rows1 * cols1} class ids 0-4, row-major (do not modify)
   */
  public record Classes(SegmentationGrid grid, byte[] classes) {
  }

  /** The logits {@code [5, Hp, Wp]} of {@code mask} on its own grid. */
  public static FloatTensor of(LabelMap mask, float logit) {
    return of(mask, logit, SegmentationGrid.MM);
  }

  /**
   * The logits of {@code mask} on a grid of {@code mm} pixels ({@link SegmentationGrid#of(int,
   * int, io.spoils.feature.image.PixelSpacing, double)}), as a series' outer slices are segmented.
   */
  public static FloatTensor of(LabelMap mask, float logit, double mm) {
    Classes c = resampled(mask, mm);
    return logits(c, c.grid().paddedRows(), c.grid().paddedCols(), logit);
  }

  /**
   * The mask's classes on the 0.8 mm grid.
   *
   * @param mask SPIDER scheme: 0, 29, 76, 150 and optionally 31
   * @throws IllegalArgumentException for another value or scheme
   * @throws io.spoils.feature.InvalidInputException when its field of view is out of range
   */
  public static Classes resampled(LabelMap mask) {
    return resampled(mask, SegmentationGrid.MM);
  }

  /** As {@link #resampled(LabelMap)} on a grid of {@code mm} pixels. */
  public static Classes resampled(LabelMap mask, double mm) {
    if (mask.scheme() != LabelMap.Scheme.SPIDER) {
      throw new IllegalArgumentException("need a SPIDER-scheme mask, got " + mask.scheme());
    }
    SegmentationGrid grid = SegmentationGrid.of(mask.height(), mask.width(), mask.spacing(), mm);
    int rows = grid.rows1();
    int cols = grid.cols1();
    byte[] classes = new byte[rows * cols];
    boolean lumbosacral = false;
    for (int y = 0; y < rows; y++) {
      int sy = Math.min(mask.height() - 1, (int) ((y + 0.5) * mask.height() / rows));
      for (int x = 0; x < cols; x++) {
        int sx = Math.min(mask.width() - 1, (int) ((x + 0.5) * mask.width() / cols));
        int c = modelClass(mask.get(sx, sy));
        lumbosacral |= c == SegmentationOutput.LUMBOSACRAL_CLASS;
        classes[y * cols + x] = (byte) c;
      }
    }
    if (!lumbosacral) {
      int minPixels = (int) Math.ceil(MIN_DISC_MM2 / (mm * mm));
      markLowestDisc(classes, rows, cols, minPixels);
    }
    return new Classes(grid, classes);
  }

  /**
   * Logits {@code [5, rows, cols]}: {@code classes} at the top-left, cut where the tensor is
   * smaller, background beyond them.
   */
  public static FloatTensor logits(Classes classes, int rows, int cols, float logit) {
    int plane = Math.multiplyExact(rows, cols);
    float[] data = new float[Math.multiplyExact(SegmentationOutput.CLASSES, plane)];
    int rows1 = classes.grid().rows1();
    int cols1 = classes.grid().cols1();
    for (int y = 0; y < rows; y++) {
      for (int x = 0; x < cols; x++) {
        int c = y < rows1 && x < cols1 ? classes.classes()[y * cols1 + x] : 0;
        data[c * plane + y * cols + x] = logit;
      }
    }
    return FloatTensor.of(data, SegmentationOutput.CLASSES, rows, cols);
  }

  private static int modelClass(int value) {
    for (int c = 0; c < SegmentationOutput.CLASSES; c++) {
      if (SegmentationOutput.spiderId(c) == value) {
        return c;
      }
    }
    throw new IllegalArgumentException("mask value " + value + " is not in the SPIDER scheme");
  }

  /** Relabels the lowest disc piece (class 1) of at least {@code minPixels} as class 4. */
  private static void markLowestDisc(byte[] classes, int rows, int cols, int minPixels) {
    int[] piece = new int[classes.length];
    int pieces = 0;
    int lowest = 0;
    double lowestRow = -1;
    ArrayDeque<Integer> todo = new ArrayDeque<>();
    for (int p = 0; p < classes.length; p++) {
      if (classes[p] != 1 || piece[p] != 0) {
        continue;
      }
      piece[p] = ++pieces;
      todo.add(p);
      long rowSum = 0;
      int size = 0;
      while (!todo.isEmpty()) {
        int q = todo.poll();
        int y = q / cols;
        int x = q % cols;
        rowSum += y;
        size++;
        int[] next = {y > 0 ? q - cols : -1, y < rows - 1 ? q + cols : -1, x > 0 ? q - 1 : -1,
            x < cols - 1 ? q + 1 : -1};
        for (int r : next) {
          if (r >= 0 && classes[r] == 1 && piece[r] == 0) {
            piece[r] = pieces;
            todo.add(r);
          }
        }
      }
      double meanRow = (double) rowSum / size;
      if (size >= minPixels && meanRow > lowestRow) {
        lowestRow = meanRow;
        lowest = pieces;
      }
    }
    if (lowest == 0) {
      return;
    }
    for (int p = 0; p < classes.length; p++) {
      if (piece[p] == lowest) {
        classes[p] = (byte) SegmentationOutput.LUMBOSACRAL_CLASS;
      }
    }
  }
}
