package io.spoils.feature.geometry;

/**
 * Heights and widths of one convex-ish shape (disc or vertebral body) in its own frame: {@code u}
 * antero-posterior (positive anterior), {@code v} cranio-caudal, origin at the centroid.
 *
 * <p>Estimators, all strip averages over a {@link ProjectedShape}:
 * <ul>
 *   <li>mid width {@code W}: area of the band {@code |v| < d} divided by {@code 2d}, with
 *       {@code d = min(stripHalfWidth, H0/4)} so thin discs are not under-filled; when that chord
 *       is under {@link #MIN_CHORD_FRACTION} of the projected extent along {@code u} (a thin,
 *       curved disc), the extent;</li>
 *   <li>anterior/central/posterior heights: area of the strip {@code |u - u_i| < d} over
 *       {@code 2d}, at {@code u_i = c + W/3, c, c - W/3} (1/6, 1/2, 5/6 of the width from the
 *       anterior edge), {@code c} the mid-band's centre, {@code d = min(stripHalfWidth, W/12)};</li>
 *   <li>average height {@code H}: area within the central 80 % of the width divided by
 *       {@code 0.8 W};</li>
 *   <li>average width: area within the central 80 % of the height at mid-width
 *       ({@code |v| < 0.4 Hc}, {@code Hc} the larger of the central and average heights) divided
 *       by {@code 0.8 Hc}.</li>
 * </ul>
 *
 * @param anteriorHeightMm height at 1/6 of the width from the anterior edge
 * @param centralHeightMm height at mid-width
 * @param posteriorHeightMm height at 1/6 of the width from the posterior edge
 * @param averageHeightMm mean height over the central 80 % of the width
 * @param averageWidthMm mean width over the central 80 % of the height
 * @param midWidthMm width at mid-height
 * @param posteriorEdgeU u of the posterior end of the mid-height chord (mm, relative to centroid)
 */
record ShapeMeasures(
    double anteriorHeightMm,
    double centralHeightMm,
    double posteriorHeightMm,
    double averageHeightMm,
    double averageWidthMm,
    double midWidthMm,
    double posteriorEdgeU) {

  /**
   * A mid-height chord shorter than this fraction of the shape's projected extent means the shape
   * is not convex across the band (e.g. a thin curved disc); the extent is the width then.
   */
  static final double MIN_CHORD_FRACTION = 0.6;

  /** All NaN: for shapes cut by the image border. */
  static ShapeMeasures unmeasured() {
    double n = Double.NaN;
    return new ShapeMeasures(n, n, n, n, n, n, n);
  }

  static ShapeMeasures of(ProjectedShape shape, double stripHalfWidthMm) {
    double lo = shape.minU();
    double hi = shape.maxU();
    double w0 = hi - lo;
    double h0 = shape.areaInUStrip((lo + hi) / 2, 0.4 * w0) / (0.8 * w0);
    double dv = Math.max(Math.min(stripHalfWidthMm, h0 / 4), 1e-3);
    double width = shape.areaInVBand(0, dv) / (2 * dv);
    double centre = shape.meanUInVBand(0, dv);
    if (!(width > 0) || Double.isNaN(centre) || width < MIN_CHORD_FRACTION * w0) {
      // thin curved discs (a drawn line) cross the mid band only briefly: use the extent
      width = w0;
      centre = (lo + hi) / 2;
    }
    double du = Math.min(stripHalfWidthMm, width / 12);
    double avgHeight = shape.areaInUStrip(centre, 0.4 * width) / (0.8 * width);
    double anterior = shape.areaInUStrip(centre + width / 3, du) / (2 * du);
    double central = shape.areaInUStrip(centre, du) / (2 * du);
    double posterior = shape.areaInUStrip(centre - width / 3, du) / (2 * du);
    // band height: the central height (the full height of convex shapes), or the average height
    // when the centre strip misses a thin curved disc
    double bandHeight = Math.max(central, avgHeight);
    double avgWidth = bandHeight > 0
        ? shape.areaInVBand(0, 0.4 * bandHeight) / (0.8 * bandHeight) : Double.NaN;
    return new ShapeMeasures(anterior, central, posterior, avgHeight, avgWidth, width,
        centre - width / 2);
  }
}
