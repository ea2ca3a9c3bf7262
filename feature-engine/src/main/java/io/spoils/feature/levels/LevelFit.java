package io.spoils.feature.levels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Names the disc levels of one slice by a global fit over all disc candidates, so that one
 * spurious, split or missed disc does not rename the others.
 *
 * <p><b>Levels.</b> A level is an integer counted upward from the lumbosacral junction: 0 is
 * L5-S1, 1 L4-L5, ..., 5 T12-L1, 6 T11-T12, up to 16 (T1-T2); {@value #BELOW} is
 * a disc below L5-S1 (transitional anatomy). Each candidate (a disc component after fragment
 * merging, ordered along the spine axis, lowest first) is either <i>selected</i> as a disc with a
 * level, levels strictly increasing upward, or left out: <i>absorbed</i> into the adjacent selected
 * disc as one of its pieces, or <i>ignored</i>.
 *
 * <p><b>Cost.</b> The fit minimises a sum of terms, each the negative log of a prior up to a
 * constant, by dynamic programming over (candidate, level) states: every selected candidate is
 * reached from the previous selected one, so the whole assignment is optimal, in
 * O(n² · levels) for n candidates.
 * <ul>
 *   <li>Spacing: two consecutive selected discs m levels apart (m = 1 adjacent, 2 or 3 when one or
 *       two discs were not found) cost {@code (ln(gap / (m D)))² / σ²} with σ = ln 1.35, plus
 *       {@value #MISS} per level skipped. D is the disc spacing estimated from the data: the
 *       median of the {@value #LOCAL_GAPS} gaps nearest along the spine between consecutive
 *       disc-sized candidates (so thoracic discs, closer together, are judged on their own
 *       spacing), within 15-50 mm, {@value #DEFAULT_SPACING_MM} mm when there is no gap. A gap of
 *       more than about 1.5 D is read as a missed disc: the level is skipped, the others keep
 *       their names.</li>
 *   <li>Size: the reference area is the median area of the larger half of the candidates;
 *       disc-sized means at least {@value #BIG_FRACTION} of it, or touching the image border.
 *       Leaving out a candidate costs {@value #DROP} times its area ratio over 0.5, within
 *       {@value #DROP_FLOOR} and 1 (a disc-sized candidate is never dropped lightly), but only
 *       {@value #ABSORB} when its area is at most {@value #ABSORB_AREA_RATIO} of a neighbour's
 *       that lies within {@value #ABSORB_FRACTION} D with no vertebra between them: it is a piece
 *       of that disc, joined to it when the neighbour is selected. Selecting a candidate under
 *       {@value #SMALL_FRACTION} of the reference area costs {@value #SMALL} times the log of the
 *       shortfall, unless it touches the image border (a disc cut by the field of view is small
 *       but real) or is the top selected disc (it cannot rename another disc, and a
 *       para-sagittal slice through the thoracic kyphosis often grazes it).</li>
 *   <li>Alternation: two consecutive selected discs closer than {@value #CLOSE_FRACTION} D with
 *       no vertebra between them ({@link Separation}) cost {@value #ALTERNATION}: discs alternate
 *       with vertebrae, and two such candidates are more likely one disc. Farther apart the test
 *       says little (para-sagittal slices graze the bodies) and is not used; nor is it where the
 *       mask has no vertebra pixels at all.</li>
 *   <li>Anchor: a candidate mostly of the lumbosacral-disc class selected at L5-S1 gains
 *       {@value #ANCHOR}. Without such a candidate (masks before contract v2) the lowest selected
 *       disc is L5-S1, as counting from the bottom did. The lowest selected disc may be a disc
 *       below L5-S1 only when it is disc-sized, at a cost of {@value #TRANSITIONAL}: worth paying
 *       only when an anchor sits on the disc above it.</li>
 * </ul>
 *
 * <p>The weights were set on drawn spines ({@code LevelFitTest}) and checked on all 396 SPIDER
 * reference slices, whose level names they leave as counting from the lowest disc gave them except
 * where a disc is drawn in pieces or missing on a para-sagittal slice (see
 * {@code SpiderGoldenGeometryTest}). Pure and deterministic; one instance per fit.
 */
final class LevelFit {
  static final int MAX_LEVEL = LevelNames.MAX_LEVEL - 1;
  static final int BELOW = -1;
  static final int NOT_SELECTED = Integer.MIN_VALUE;
  static final double SIGMA = Math.log(1.35);
  static final double MISS = 1.0;
  static final double DROP = 16.0;
  static final double ABSORB = 1.0;
  static final double ABSORB_FRACTION = 0.5;
  static final double ABSORB_AREA_RATIO = 0.6;
  static final double DROP_FLOOR = 0.1;
  static final double SMALL = 2.0;
  static final double SMALL_FRACTION = 0.2;
  static final double BIG_FRACTION = 0.35;
  static final double ALTERNATION = 4.0;
  static final double CLOSE_FRACTION = 0.6;
  static final double TRANSITIONAL = 4.0;
  static final double ANCHOR = 6.0;
  static final double DEFAULT_SPACING_MM = 33.0;
  static final int LOCAL_GAPS = 5;
  private static final int MAX_SKIP = 3;
  private static final double MIN_GAP_MM = 12.0;

  /**
   * One disc candidate.
   *
   * @param axialMm position of its centroid along the spine axis (mm, growing cranially)
   * @param areaMm2 its area
   * @param border whether it touches the image border
   * @param lumbosacral whether most of its pixels are of the lumbosacral-disc class
   */
  record Candidate(double axialMm, double areaMm2, boolean border, boolean lumbosacral) {}

  /** Whether a vertebra lies between two candidates (by their indices). */
  interface Separation {
    boolean separated(int i, int j);
  }

  /**
   * What the fit decided.
   *
   * @param levels per candidate its level, or {@link #NOT_SELECTED}
   * @param absorbedInto per candidate left out: the selected candidate it is a piece of, or -1
   *     (ignored); -1 for selected candidates
   * @param spacingMm per candidate the disc spacing D estimated around it
   */
  record Result(int[] levels, int[] absorbedInto, double[] spacingMm) {
    boolean selected(int i) {
      return levels[i] != NOT_SELECTED;
    }

    boolean ignored(int i) {
      return !selected(i) && absorbedInto[i] < 0;
    }
  }

  private final List<Candidate> candidates;
  private final Separation vertebrae;
  private final int n;
  private final double[] spacing;
  private final double[] select;
  private final double[] dropPrefix;
  private final boolean[] disc;
  private final boolean[] absorbable;

  private LevelFit(List<Candidate> candidates, Separation vertebrae) {
    this.candidates = candidates;
    this.vertebrae = vertebrae;
    this.n = candidates.size();
    double reference = referenceArea(candidates);
    this.disc = new boolean[n];
    double[] ratio = new double[n];
    for (int i = 0; i < n; i++) {
      ratio[i] = candidates.get(i).areaMm2() / reference;
      disc[i] = ratio[i] >= BIG_FRACTION || candidates.get(i).border();
    }
    this.spacing = spacings(candidates, ratio);
    this.select = new double[n];
    this.absorbable = new boolean[n];
    this.dropPrefix = new double[n + 1];
    for (int i = 0; i < n; i++) {
      Candidate c = candidates.get(i);
      select[i] = c.border() ? 0 : SMALL * Math.max(0, Math.log(SMALL_FRACTION / ratio[i]));
      absorbable[i] = absorbableInto(i, i - 1) || absorbableInto(i, i + 1);
      double drop = DROP * Math.max(DROP_FLOOR, Math.min(1, ratio[i] / 0.5));
      dropPrefix[i + 1] = dropPrefix[i] + (absorbable[i] ? Math.min(drop, ABSORB) : drop);
    }
  }

  /**
   * Fits the levels.
   *
   * @param candidates at least one, ordered along the spine axis, lowest first
   * @param vertebrae the vertebra test between candidates, or null when the mask has no vertebra
   *     pixels
   */
  static Result fit(List<Candidate> candidates, Separation vertebrae) {
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("no candidates");
    }
    return new LevelFit(candidates, vertebrae).solve();
  }

  private Result solve() {
    int width = MAX_LEVEL - BELOW + 1;
    double[][] cost = new double[n][width];
    int[][] from = new int[n][width];
    for (double[] row : cost) {
      Arrays.fill(row, Double.POSITIVE_INFINITY);
    }
    for (int j = 0; j < n; j++) {
      relax(cost, from, j, 0, dropPrefix[j], -1);
      if (disc[j]) {
        relax(cost, from, j, BELOW, dropPrefix[j] + TRANSITIONAL, -1);
      }
      for (int i = 0; i < j; i++) {
        double between = dropPrefix[j] - dropPrefix[i + 1] + alternation(i, j);
        for (int m = 1; m <= MAX_SKIP; m++) {
          double step = between + gapCost(i, j, m) + (m - 1) * MISS;
          for (int l = (m == 1 ? BELOW : 0); l + m <= MAX_LEVEL; l++) {
            double c = cost[i][l - BELOW];
            if (c < Double.POSITIVE_INFINITY) {
              relax(cost, from, j, l + m, c + step, i * width + (l - BELOW));
            }
          }
        }
      }
    }
    int best = -1;
    double bestCost = Double.POSITIVE_INFINITY;
    for (int j = 0; j < n; j++) {
      for (int l = 0; l < width; l++) {
        double c = cost[j][l] + dropPrefix[n] - dropPrefix[j + 1] - select[j];
        if (c < bestCost) {
          bestCost = c;
          best = j * width + l;
        }
      }
    }
    int[] levels = new int[n];
    Arrays.fill(levels, NOT_SELECTED);
    for (int s = best; s >= 0; s = from[s / width][s % width]) {
      levels[s / width] = s % width + BELOW;
    }
    return new Result(levels, absorbed(levels), spacing.clone());
  }

  /** Offers {@code total} (without the candidate's own terms) for candidate j at level l. */
  private void relax(double[][] cost, int[][] from, int j, int level, double total, int previous) {
    Candidate c = candidates.get(j);
    double value = total + select[j] - (c.lumbosacral() && level == 0 ? ANCHOR : 0);
    if (value < cost[j][level - BELOW]) {
      cost[j][level - BELOW] = value;
      from[j][level - BELOW] = previous;
    }
  }

  private double gapCost(int i, int j, int m) {
    double gap = candidates.get(j).axialMm() - candidates.get(i).axialMm();
    double expected = m * Math.sqrt(spacing[i] * spacing[j]);
    double r = Math.log(Math.max(gap / expected, 0.05)) / SIGMA;
    return r * r;
  }

  private double alternation(int i, int j) {
    double gap = candidates.get(j).axialMm() - candidates.get(i).axialMm();
    boolean close = gap < CLOSE_FRACTION * Math.sqrt(spacing[i] * spacing[j]);
    return close && vertebrae != null && !vertebrae.separated(i, j) ? ALTERNATION : 0;
  }

  /** Whether candidate i may be a piece of its neighbour j: near, smaller, no bone between. */
  private boolean absorbableInto(int i, int j) {
    if (j < 0 || j >= n
        || candidates.get(i).areaMm2() > ABSORB_AREA_RATIO * candidates.get(j).areaMm2()) {
      return false;
    }
    double gap = Math.abs(candidates.get(j).axialMm() - candidates.get(i).axialMm());
    return gap < ABSORB_FRACTION * spacing[i]
        && (vertebrae == null || !vertebrae.separated(i, j));
  }

  /** For each left-out candidate, the adjacent selected candidate it is a piece of, or -1. */
  private int[] absorbed(int[] levels) {
    int[] into = new int[n];
    Arrays.fill(into, -1);
    for (int i = 0; i < n; i++) {
      if (levels[i] != NOT_SELECTED) {
        continue;
      }
      double nearest = Double.POSITIVE_INFINITY;
      for (int j : new int[] {i - 1, i + 1}) {
        if (j >= 0 && j < n && levels[j] != NOT_SELECTED && absorbableInto(i, j)) {
          double d = Math.abs(candidates.get(j).axialMm() - candidates.get(i).axialMm());
          if (d < nearest) {
            nearest = d;
            into[i] = j;
          }
        }
      }
    }
    return into;
  }

  /** Median area of the larger half of the candidates: robust to many specks. */
  private static double referenceArea(List<Candidate> candidates) {
    double[] areas = candidates.stream().mapToDouble(Candidate::areaMm2).sorted().toArray();
    int half = areas.length / 2;
    double[] upper = Arrays.copyOfRange(areas, half, areas.length);
    return Math.max(upper[upper.length / 2], 1e-9);
  }

  /**
   * Per candidate, the disc spacing around it: the median of the {@link #LOCAL_GAPS} gaps between
   * consecutive disc-sized candidates whose midpoints are nearest to it.
   */
  private static double[] spacings(List<Candidate> candidates, double[] ratio) {
    List<double[]> gaps = new ArrayList<>();
    double previous = Double.NaN;
    for (int i = 0; i < candidates.size(); i++) {
      if (ratio[i] < BIG_FRACTION) {
        continue;
      }
      double s = candidates.get(i).axialMm();
      if (!Double.isNaN(previous) && s - previous >= MIN_GAP_MM) {
        gaps.add(new double[] {(s + previous) / 2, s - previous});
      }
      previous = s;
    }
    double[] out = new double[candidates.size()];
    for (int i = 0; i < out.length; i++) {
      double s = candidates.get(i).axialMm();
      double d = gaps.isEmpty() ? DEFAULT_SPACING_MM : localMedian(gaps, s);
      out[i] = Math.min(50, Math.max(15, d));
    }
    return out;
  }

  private static double localMedian(List<double[]> gaps, double s) {
    List<double[]> sorted = new ArrayList<>(gaps);
    sorted.sort((a, b) -> Double.compare(Math.abs(a[0] - s), Math.abs(b[0] - s)));
    double[] near = sorted.subList(0, Math.min(LOCAL_GAPS, sorted.size())).stream()
        .mapToDouble(g -> g[1]).sorted().toArray();
    int k = near.length;
    return k % 2 == 1 ? near[k / 2] : (near[k / 2 - 1] + near[k / 2]) / 2;
  }
}
