package io.spoils.feature.tensor;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.image.PixelSpacing;
import java.util.Locale;

/**
 * The three grids of one image in the {@code spine_segmentation} contract v2 (CONTRACT.md): the
 * original {@code rows0 x cols0} pixels, the image resampled to {@value #MM} mm pixels
 * ({@code rows1 x cols1}, each axis on its own), and the model tensor, that resampled image
 * zero-padded at the bottom and right to multiples of {@value #PAD} ({@code paddedRows x
 * paddedCols}). Equal to {@code resampled_size} and {@code padded_size} of
 * {@code triton-models/training/spoils_data.py}.
 *
 * <p>{@link #of} computes the grids of an image and rejects those the model does not take; the
 * canonical constructor only checks that the sizes fit inside each other (tests use it for small
 * grids).
 *
 * @param rows0 original image rows, &gt; 0
 * @param cols0 original image columns, &gt; 0
 * @param rows1 resampled rows H1, 1 to {@code paddedRows}
 * @param cols1 resampled columns W1, 1 to {@code paddedCols}
 * @param paddedRows model tensor rows Hp
 * @param paddedCols model tensor columns Wp
 */
public record SegmentationGrid(int rows0, int cols0, int rows1, int cols1, int paddedRows,
    int paddedCols) {

  /** Pixel size of the model's grid, mm. */
  public static final double MM = 0.8;
  /** The model's rows and columns are multiples of this. */
  public static final int PAD = 32;
  /** Fewest resampled rows or columns accepted (51 mm). */
  public static final int MIN_PIXELS = 64;
  /** Most resampled rows or columns accepted (819 mm). */
  public static final int MAX_PIXELS = 1024;

  public SegmentationGrid {
    if (rows0 <= 0 || cols0 <= 0 || rows1 <= 0 || cols1 <= 0 || rows1 > paddedRows
        || cols1 > paddedCols) {
      throw new IllegalArgumentException("inconsistent segmentation grid " + rows0 + "x" + cols0
          + " -> " + rows1 + "x" + cols1 + " -> " + paddedRows + "x" + paddedCols);
    }
  }

  /**
   * The grids of an image of {@code rows0 x cols0} pixels of {@code spacing}:
   * {@code rows1 = max(1, floor(rows0 * rowMm / 0.8 + 0.5))} (float64), likewise the columns, each
   * padded up to a multiple of 32.
   *
   * @throws InvalidInputException when the resampled image would have fewer than
   *     {@value #MIN_PIXELS} or more than {@value #MAX_PIXELS} rows or columns (the reason names the
   *     field of view, nothing else)
   * @throws IllegalArgumentException for a non-positive size
   */
  public static SegmentationGrid of(int rows0, int cols0, PixelSpacing spacing) {
    return of(rows0, cols0, spacing, MM);
  }

  /**
   * As {@link #of(int, int, PixelSpacing)} on a grid of {@code mm} pixels instead of the
   * contract's {@value #MM} mm: the gateway segments the outer slices of a series on a coarser grid
   * (within the scale range the model was trained on, CONTRACT.md). The accepted range is still
   * {@value #MIN_PIXELS}-{@value #MAX_PIXELS} resampled pixels.
   *
   * @param mm pixel size of the resampled grid, mm, &gt; 0
   */
  public static SegmentationGrid of(int rows0, int cols0, PixelSpacing spacing, double mm) {
    if (rows0 <= 0 || cols0 <= 0) {
      throw new IllegalArgumentException("image size must be positive, got " + rows0 + "x" + cols0);
    }
    if (!(mm > 0)) {
      throw new IllegalArgumentException("grid pixel size must be positive, got " + mm);
    }
    int rows1 = resampled(rows0, spacing.rowMm(), mm);
    int cols1 = resampled(cols0, spacing.colMm(), mm);
    if (!inRange(rows1) || !inRange(cols1)) {
      throw new InvalidInputException(String.format(Locale.ROOT, "field of view %.0f x %.0f mm is "
          + "outside the %.0f-%.0f mm the segmentation accepts", rows0 * spacing.rowMm(),
          cols0 * spacing.colMm(), MIN_PIXELS * mm, MAX_PIXELS * mm));
    }
    return new SegmentationGrid(rows0, cols0, rows1, cols1, padded(rows1), padded(cols1));
  }

  /**
   * Pixel spacing of the resampled grid ({@code rows1 x cols1}) over the original image of
   * {@code original} spacing: the same field of view in fewer or more pixels, so about
   * {@value #MM} mm (or the grid's mm), exactly {@code rows0 * rowMm / rows1} by
   * {@code cols0 * colMm / cols1}.
   */
  public PixelSpacing resampledSpacing(PixelSpacing original) {
    return new PixelSpacing(rows0 * original.rowMm() / rows1, cols0 * original.colMm() / cols1);
  }

  /** Model input shape of one item, without the batch dimension: {@code [1, Hp, Wp]}. */
  public long[] inputShape() {
    return new long[] {1, paddedRows, paddedCols};
  }

  /** Model output shape of one item, without the batch dimension: {@code [5, Hp, Wp]}. */
  public long[] outputShape() {
    return new long[] {SegmentationOutput.CLASSES, paddedRows, paddedCols};
  }

  private static int resampled(int n, double pixelMm, double gridMm) {
    // rows0 * rowMm / 0.8 + 0.5 in this order, as spoils_data.resampled_size evaluates it
    double size = Math.floor(n * pixelMm / gridMm + 0.5);
    return size >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) Math.max(1, size);
  }

  private static boolean inRange(int n) {
    return n >= MIN_PIXELS && n <= MAX_PIXELS;
  }

  private static int padded(int n) {
    return (n + PAD - 1) / PAD * PAD;
  }
}
