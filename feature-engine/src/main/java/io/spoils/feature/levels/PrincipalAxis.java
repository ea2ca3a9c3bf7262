package io.spoils.feature.levels;

/** Principal axes of point sets in mm space (2-D PCA). */
public final class PrincipalAxis {
  private PrincipalAxis() {}

  /**
   * Unit vector {@code {x, y}} along the major axis (largest spread) of a region's pixel centres in
   * mm space. Its sign is arbitrary. A region of one pixel gives {@code {1, 0}}.
   */
  public static double[] major(Region region) {
    int w = region.imageWidth();
    double col = region.spacing().colMm();
    double row = region.spacing().rowMm();
    int n = region.size();
    double[] xs = new double[n];
    double[] ys = new double[n];
    for (int i = 0; i < n; i++) {
      int p = region.pixels()[i];
      xs[i] = (p % w) * col;
      ys[i] = (p / w) * row;
    }
    return major(xs, ys);
  }

  /** Unit major axis of the points {@code (xs[i], ys[i])}; sign arbitrary. */
  public static double[] major(double[] xs, double[] ys) {
    int n = xs.length;
    double mx = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      mx += xs[i];
      my += ys[i];
    }
    mx /= Math.max(n, 1);
    my /= Math.max(n, 1);
    double sxx = 0;
    double syy = 0;
    double sxy = 0;
    for (int i = 0; i < n; i++) {
      double dx = xs[i] - mx;
      double dy = ys[i] - my;
      sxx += dx * dx;
      syy += dy * dy;
      sxy += dx * dy;
    }
    // angle of the major eigenvector of [[sxx, sxy], [sxy, syy]]
    double angle = 0.5 * Math.atan2(2 * sxy, sxx - syy);
    return new double[] {Math.cos(angle), Math.sin(angle)};
  }
}
