package io.spoils.feature.dicom;

import io.spoils.feature.InvalidInputException;

/**
 * Imaging plane of a slice, computed from ImageOrientationPatient (0020,0037) only, never from
 * free-text descriptions. The slice normal is row cosines x column cosines in the patient
 * coordinate system (LPS: x to the patient's left, y posterior, z head). The plane is the one whose
 * normal axis (x: sagittal, y: coronal, z: axial) dominates, provided the normal lies within
 * {@link #OBLIQUITY_TOLERANCE_DEG} degrees of that axis; otherwise the slice is {@link #OBLIQUE}.
 * Lumbar sagittals are commonly angled a few to ~20 degrees, so 30 degrees keeps them sagittal while
 * a double-oblique plane half-way between two axes (45 degrees) is not.
 */
public enum Orientation {
  /** Normal along left-right: side view of the spine. */
  SAGITTAL,
  /** Normal along head-foot. */
  AXIAL,
  /** Normal along front-back. */
  CORONAL,
  /** Normal more than the tolerance away from every axis. */
  OBLIQUE,
  /** No ImageOrientationPatient in the file (e.g. projection radiographs). */
  UNKNOWN;

  /** Largest angle, in degrees, between the slice normal and an axis for the plane to count as that axis'. */
  public static final double OBLIQUITY_TOLERANCE_DEG = 30.0;

  private static final double MIN_COS = Math.cos(Math.toRadians(OBLIQUITY_TOLERANCE_DEG));

  /**
   * Classifies the plane of the given ImageOrientationPatient.
   *
   * @param iop six direction cosines (row x,y,z then column x,y,z), or null for {@link #UNKNOWN}
   * @throws InvalidInputException when the cosines are not two nearly orthogonal directions
   */
  public static Orientation classify(double[] iop) {
    if (iop == null) {
      return UNKNOWN;
    }
    double[] n = normal(iop);
    double ax = Math.abs(n[0]);
    double ay = Math.abs(n[1]);
    double az = Math.abs(n[2]);
    double max = Math.max(ax, Math.max(ay, az));
    if (max < MIN_COS) {
      return OBLIQUE;
    }
    return max == ax ? SAGITTAL : max == az ? AXIAL : CORONAL;
  }

  /**
   * Unit slice normal (row cosines x column cosines), patient LPS coordinates.
   *
   * @param iop six direction cosines
   * @throws InvalidInputException when {@code iop} does not hold two unit-ish, nearly orthogonal vectors
   */
  public static double[] normal(double[] iop) {
    if (iop.length != 6) {
      throw new InvalidInputException("ImageOrientationPatient must have 6 values, got " + iop.length);
    }
    double[] r = unit(iop[0], iop[1], iop[2]);
    double[] c = unit(iop[3], iop[4], iop[5]);
    double[] n = {r[1] * c[2] - r[2] * c[1], r[2] * c[0] - r[0] * c[2], r[0] * c[1] - r[1] * c[0]};
    double len = Math.sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
    // Rounded cosines are never exactly orthogonal; |r x c| < 0.9 means more than ~25 degrees off.
    if (!(len > 0.9)) {
      throw new InvalidInputException("ImageOrientationPatient row and column directions are not "
          + "orthogonal");
    }
    return new double[] {n[0] / len, n[1] / len, n[2] / len};
  }

  /**
   * Whether a sagittal image shows the patient's front on the right: its rows run mostly along
   * the anterior-posterior axis, towards anterior (LPS: the row cosine's y component is the largest
   * in size, and negative). Scanners usually store sagittal images with the front on the left
   * (rows towards posterior), as the training images are; false without an orientation.
   */
  public static boolean anteriorOnRight(double[] iop) {
    return iop != null && iop.length == 6 && along(iop, 0, 1) && iop[1] < 0;
  }

  /**
   * Whether an image is stored head up: its columns run mostly along the head-foot axis, towards
   * the feet (LPS: the column cosine's z component is the largest in size, and not positive). A
   * sagittal image turned by 90 degrees or upside down is not; true without an orientation
   * (nothing to say).
   */
  public static boolean headUp(double[] iop) {
    return iop == null || iop.length != 6 || along(iop, 3, 2) && iop[5] <= 0;
  }

  /**
   * Whether the direction {@code iop[from..from+2]} (row: 0, column: 3) runs mostly along patient
   * axis {@code axis} (0 x, 1 y, 2 z): that component is the largest in size.
   */
  private static boolean along(double[] iop, int from, int axis) {
    double a = Math.abs(iop[from + axis]);
    return a >= Math.abs(iop[from]) && a >= Math.abs(iop[from + 1])
        && a >= Math.abs(iop[from + 2]);
  }

  private static double[] unit(double x, double y, double z) {
    double len = Math.sqrt(x * x + y * y + z * z);
    if (!(len > 0.5 && len < 1.5) || !Double.isFinite(len)) {
      throw new InvalidInputException("ImageOrientationPatient holds a direction that is not a unit "
          + "vector");
    }
    return new double[] {x / len, y / len, z / len};
  }
}
