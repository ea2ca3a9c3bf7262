package io.spoils.feature.levels;

import static io.spoils.feature.levels.VertebraSlots.LATERAL_REACH_MM;
import static io.spoils.feature.levels.VertebraSlots.SACRUM_DEPTH_MM;

import io.spoils.feature.image.PixelSpacing;
import java.util.Arrays;

/**
 * Picks the vertebra pixels of one slot between disc planes (see {@link VertebraSlots}), run by
 * run. Every condition of the slot test is one computed value compared with a bound, and each
 * value is monotone in the column within a row (differences, products with a constant and sums
 * with a constant are monotone in IEEE arithmetic too), so each condition holds on a half-line of
 * columns. A run whose two end pixels meet every condition lies wholly in the slot, one whose two
 * ends fail the same condition wholly outside; only the other runs are tested pixel by pixel. The
 * result is the same as testing every pixel.
 */
final class SlotPixels {
  /** All eight conditions met: see {@link #conditions}. */
  private static final int ALL = 0xFF;

  private final int[] pixels;
  private final PixelRuns runs;
  private final double col;
  private final double row;

  /** @param runs the vertebra pixels as runs (kept, not modified) */
  SlotPixels(PixelRuns runs, PixelSpacing spacing) {
    this.pixels = runs.pixels();
    this.runs = runs;
    this.col = spacing.colMm();
    this.row = spacing.rowMm();
  }

  /**
   * The pixels above the lower disc's plane and below the upper one's, each within
   * {@link VertebraSlots#LATERAL_REACH_MM} of its disc along the disc's AP axis; with one plane
   * only, within {@code topReach} above it or {@link VertebraSlots#SACRUM_DEPTH_MM} below it.
   *
   * @param lo the lower disc's plane {@code {cx, cy, nx, ny, ux, uy}}, or null
   * @param up the upper disc's plane, or null (not both)
   * @return row-major indices in raster order
   */
  int[] select(double[] lo, double[] up, double topReach) {
    int[] range = runRange(lo, up, topReach);
    int[] out = new int[runs.pixelCount(range[0], range[1])];
    int n = 0;
    for (int r = range[0]; r < range[1]; r++) {
      double py = runs.row(r) * row;
      int x0 = runs.firstX(r);
      int len = runs.length(r);
      int a = conditions(x0 * col, py, lo, up, topReach);
      int b = len == 1 ? a : conditions((x0 + len - 1) * col, py, lo, up, topReach);
      if ((a & b) == ALL) {
        System.arraycopy(pixels, runs.start(r), out, n, len);
        n += len;
      } else if ((a | b) == ALL) {
        for (int i = 0; i < len; i++) {
          int bits = i == 0 ? a : i == len - 1 ? b
              : conditions((x0 + i) * col, py, lo, up, topReach);
          if (bits == ALL) {
            out[n++] = pixels[runs.start(r) + i];
          }
        }
      }
    }
    return Arrays.copyOf(out, n);
  }

  /**
   * The runs in the rows the slot can reach: the slot lies within the lateral reach of each
   * bounding disc along its AP axis, above the lower disc's plane and below the upper one's (and
   * within the top reach or the sacrum depth of a single plane), so its rows are bounded by the
   * corners of those disc segments. The bound is widened by two rows; the pixels outside it fail
   * the slot test anyway. When a disc normal does not point toward smaller rows all runs are used.
   */
  private int[] runRange(double[] lo, double[] up, double topReach) {
    double[] ys;
    if (lo != null && up != null) {
      if (lo[3] > 0 || up[3] > 0) {
        return new int[] {0, runs.runCount()};
      }
      ys = new double[] {min(segmentYs(up, 0)), max(segmentYs(lo, 0))};
    } else {
      double[] plane = lo != null ? lo : up;
      double[] a = segmentYs(plane, 0);
      double[] b = segmentYs(plane, lo != null ? topReach : -SACRUM_DEPTH_MM);
      ys = new double[] {Math.min(min(a), min(b)), Math.max(max(a), max(b))};
    }
    long first = (long) Math.floor(ys[0] / row) - 2;
    long last = (long) Math.ceil(ys[1] / row) + 2;
    if (!(ys[0] <= ys[1]) || last < 0) {
      return Double.isNaN(ys[0] + ys[1]) ? new int[] {0, runs.runCount()} : new int[] {0, 0};
    }
    return new int[] {runs.firstRunAtOrBelow(first), runs.firstRunAtOrBelow(last + 1)};
  }

  /** y (mm) of the two ends of a disc's lateral segment, moved {@code shift} mm along its normal. */
  private static double[] segmentYs(double[] plane, double shift) {
    double y = plane[1] + shift * plane[3];
    return new double[] {y + LATERAL_REACH_MM * plane[5], y - LATERAL_REACH_MM * plane[5]};
  }

  private static double min(double[] v) {
    return Math.min(v[0], v[1]);
  }

  private static double max(double[] v) {
    return Math.max(v[0], v[1]);
  }

  /**
   * Bit mask of the slot conditions a pixel centre meets: lower plane (h above it > 0, within the
   * top reach when there is no upper plane, lateral distance <= reach on each side), then the
   * upper plane likewise; the conditions of an absent plane count as met.
   */
  private static int conditions(double px, double py, double[] lo, double[] up,
      double topReach) {
    int bits = 0;
    if (lo != null) {
      double h = (px - lo[0]) * lo[2] + (py - lo[1]) * lo[3];
      double l = (px - lo[0]) * lo[4] + (py - lo[1]) * lo[5];
      bits |= (h > 0 ? 1 : 0) | (up != null || h < topReach ? 2 : 0)
          | (l <= LATERAL_REACH_MM ? 4 : 0) | (l >= -LATERAL_REACH_MM ? 8 : 0);
    } else {
      bits |= 0x0F;
    }
    if (up != null) {
      double h = (px - up[0]) * up[2] + (py - up[1]) * up[3];
      double l = (px - up[0]) * up[4] + (py - up[1]) * up[5];
      bits |= (h < 0 ? 16 : 0) | (lo != null || h > -SACRUM_DEPTH_MM ? 32 : 0)
          | (l <= LATERAL_REACH_MM ? 64 : 0) | (l >= -LATERAL_REACH_MM ? 128 : 0);
    } else {
      bits |= 0xF0;
    }
    return bits;
  }
}
