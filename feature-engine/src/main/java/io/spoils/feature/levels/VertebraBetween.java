package io.spoils.feature.levels;

import io.spoils.feature.image.LabelMap;
import io.spoils.feature.levels.LevelLabeller.DiscPiece;
import java.util.List;

/**
 * Whether a vertebra lies between two disc candidates: at least {@value #MIN_FRACTION} of the
 * points every {@value #STEP_MM} mm on the segment joining their centroids fall on vertebra
 * pixels. Two discs have a vertebral body between them; two pieces of one disc, even of a steeply
 * tilted one, are joined along the disc, not through bone. Each pair is sampled once, on first
 * use, at a cost of its length in steps.
 */
final class VertebraBetween implements LevelFit.Separation {
  static final double STEP_MM = 0.5;
  static final double MIN_FRACTION = 0.25;

  private final LabelMap mask;
  private final int vertebra;
  private final List<DiscPiece> pieces;
  private final Boolean[][] known;

  private VertebraBetween(LabelMap mask, int vertebra, List<DiscPiece> pieces) {
    this.mask = mask;
    this.vertebra = vertebra;
    this.pieces = pieces;
    this.known = new Boolean[pieces.size()][pieces.size()];
  }

  /**
   * The test over the given pieces (indices as in the list), or null when the mask has no
   * vertebra pixels (nothing can then be told apart this way).
   */
  static LevelFit.Separation of(MaskClasses classes, int vertebraValue, List<DiscPiece> pieces) {
    return classes.vertebraAll().length == 0 ? null
        : new VertebraBetween(classes.mask, vertebraValue, pieces);
  }

  @Override
  public boolean separated(int i, int j) {
    if (known[i][j] == null) {
      known[i][j] = sample(pieces.get(i).centroidMm(), pieces.get(j).centroidMm());
      known[j][i] = known[i][j];
    }
    return known[i][j];
  }

  private boolean sample(double[] a, double[] b) {
    double length = Math.hypot(b[0] - a[0], b[1] - a[1]);
    int steps = (int) Math.ceil(length / STEP_MM);
    if (steps == 0) {
      return false;
    }
    double col = mask.spacing().colMm();
    double row = mask.spacing().rowMm();
    int hits = 0;
    for (int k = 0; k <= steps; k++) {
      double t = (double) k / steps;
      long x = Math.round((a[0] + t * (b[0] - a[0])) / col);
      long y = Math.round((a[1] + t * (b[1] - a[1])) / row);
      if (x >= 0 && y >= 0 && x < mask.width() && y < mask.height()
          && mask.get((int) x, (int) y) == vertebra) {
        hits++;
      }
    }
    return hits >= MIN_FRACTION * (steps + 1);
  }
}
