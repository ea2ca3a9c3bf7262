package io.spoils.gateway.pipeline;

/**
 * How the outer slices of a series are segmented ({@link SeriesSegmenter}): inside the box where
 * the centre slice shows the spine, on the model's 0.8 mm grid or a coarser one. The measured slice
 * is always segmented whole on the 0.8 mm grid.
 *
 * <p>Why the defaults: on the validation patients' spider-t2space sets ({@code bin/spoils
 * evaluate-series}, triton-models/evaluation/series-segmentation*.json), thinned to 3 mm spacing,
 * the box on the 0.8 mm grid (12 mm margin, grown to the padding) measures the same slice as
 * segmenting every slice whole in 4 of 6 series, and the experts' best slice in 5 of 6; the measured
 * slice's reference score (the experts' canal area x disc share over the best slice's) is 0.98, as
 * for every slice whole (spine_segmentation 5; with version 3: 5 of 6, 1.00 and 0.99).
 * Measured with spine_segmentation 2: a 16 mm margin, 6 of 6 and 1.00 for a
 * third more model work on the bundled example; a 1.0 mm grid (0.64 of the pixels), 1 of 6 (0.94);
 * a box around the discs and canal alone, 4 of 6 (0.93); a 10 mm margin, 3 of 6 (0.93).
 *
 * @param outerSliceMm pixel size of the outer slices' grid, mm, {@value #MIN_OUTER_MM} to
 *     {@value #MAX_OUTER_MM} (the segmentation model was trained with scale changes of +-25 %
 *     around 0.8 mm, CONTRACT.md)
 * @param boxMarginMm margin added on every side of the centre slice's labelled pixels, mm, &gt;= 0;
 *     infinite: every slice whole on the 0.8 mm grid (then {@code outerSliceMm} is not used)
 * @param boxMinMm least width and height of the box, mm, &gt;= 64 x {@code outerSliceMm} (the
 *     model's smallest input)
 * @param centreBoxed whether pass 2 segments the centre slice again, in the box, so that its score
 *     comes from the same context as the other slices' (default true). False reads the centre
 *     slice's whole map of pass 1 instead, one model input fewer, but was measured and rejected:
 *     with spine_segmentation 3 at 3 mm it measured the same slice as every-slice-whole in 4 of 6
 *     series, reference score 0.97, against 5 of 6 and 1.00 with the centre boxed (the whole
 *     slice's context scores the centre differently from its boxed neighbours). With every slice
 *     whole both are the same input, and pass 1's map is read.
 */
public record SeriesOptions(double outerSliceMm, double boxMarginMm, double boxMinMm,
    boolean centreBoxed) {

  /** Default outer-slice grid: the model's 0.8 mm. */
  public static final double DEFAULT_OUTER_SLICE_MM = 0.8;
  /**
   * Default margin around the spine: 12 mm, room for a parasagittal shift of the anatomy; the box
   * then grows to whole multiples of the model's padding ({@code PixelBox#fitted}), so most sides
   * get more. 10 mm moved the measured slice (evaluate-series: reference score 0.93).
   */
  public static final double DEFAULT_BOX_MARGIN_MM = 12.0;
  /** Default least box size: 80 mm. */
  public static final double DEFAULT_BOX_MIN_MM = 80.0;
  /** Finest outer-slice grid: the model's own. */
  public static final double MIN_OUTER_MM = 0.8;
  /** Coarsest outer-slice grid: 0.8 mm x 1.25, the edge of the trained scale range. */
  public static final double MAX_OUTER_MM = 1.0;

  public SeriesOptions {
    if (!(outerSliceMm >= MIN_OUTER_MM && outerSliceMm <= MAX_OUTER_MM)) {
      throw new IllegalArgumentException("outerSliceMm must be " + MIN_OUTER_MM + "-"
          + MAX_OUTER_MM + ", got " + outerSliceMm);
    }
    if (!(boxMarginMm >= 0) || !(boxMinMm >= 64 * outerSliceMm)) {
      throw new IllegalArgumentException("boxMarginMm must be >= 0 and boxMinMm >= "
          + 64 * outerSliceMm + ", got " + boxMarginMm + " and " + boxMinMm);
    }
  }

  /** The defaults above. */
  public static SeriesOptions defaults() {
    return new SeriesOptions(DEFAULT_OUTER_SLICE_MM, DEFAULT_BOX_MARGIN_MM, DEFAULT_BOX_MIN_MM,
        true);
  }

  /** Every slice whole on the model's 0.8 mm grid (the reference the defaults are measured on). */
  public static SeriesOptions everySliceWhole() {
    return new SeriesOptions(MIN_OUTER_MM, Double.POSITIVE_INFINITY, DEFAULT_BOX_MIN_MM, false);
  }
}
