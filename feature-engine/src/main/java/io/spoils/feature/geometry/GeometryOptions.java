package io.spoils.feature.geometry;

/**
 * Tuning of level labelling and geometry. All lengths in mm, areas in mm².
 *
 * @param minComponentAreaMm2 connected components (discs, vertebra pieces, canal pieces) smaller
 *     than this are treated as specks and dropped; default 5 mm² (about 23 pixels at 0.47 mm), far
 *     below the smallest real disc cross-section (tens of mm²) but above annotation noise
 * @param stripHalfWidthMm half-width of the strips over which chord lengths (heights, widths,
 *     canal diameter) are averaged, so the one-pixel quantisation of the raster averages out;
 *     default 1.0 mm
 * @param supersampling each pixel is split into {@code supersampling x supersampling} point
 *     samples when projecting it onto a rotated frame; default 4
 * @param canalSearchMm how far behind a disc's posterior edge the canal is searched for; default
 *     40 mm
 * @param csfWindowMm canal pixels within this distance of the disc centroid along the disc's
 *     cranio-caudal axis give the CSF reference signal; default 10 mm
 * @param posteriorMarginMm vertebra pixels more than this behind the posterior edges of the
 *     adjacent discs are posterior elements, not vertebral body (used where no canal separates
 *     them); default 3 mm
 */
public record GeometryOptions(
    double minComponentAreaMm2,
    double stripHalfWidthMm,
    int supersampling,
    double canalSearchMm,
    double csfWindowMm,
    double posteriorMarginMm) {

  public GeometryOptions {
    requirePositive(minComponentAreaMm2, "minComponentAreaMm2");
    requirePositive(stripHalfWidthMm, "stripHalfWidthMm");
    requirePositive(canalSearchMm, "canalSearchMm");
    requirePositive(csfWindowMm, "csfWindowMm");
    if (!(posteriorMarginMm >= 0) || Double.isInfinite(posteriorMarginMm)) {
      throw new IllegalArgumentException("posteriorMarginMm must be >= 0 and finite");
    }
    if (supersampling < 1 || supersampling > 16) {
      throw new IllegalArgumentException("supersampling must be 1-16, got " + supersampling);
    }
  }

  /** The documented defaults. */
  public static GeometryOptions defaults() {
    return new GeometryOptions(5.0, 1.0, 4, 40.0, 10.0, 3.0);
  }

  private static void requirePositive(double v, String name) {
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(name + " must be positive and finite, got " + v);
    }
  }
}
