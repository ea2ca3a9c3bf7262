package io.spoils.feature.levels;

import io.spoils.feature.anatomy.AnatomyLabel;
import io.spoils.feature.anatomy.DiscLevel;
import io.spoils.feature.anatomy.VertebraLevel;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.levels.LevelLabeller.DiscPiece;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Assigns vertebra pixels to the slots between consecutive discs and isolates one body per slot.
 * For SPIDER masks, slot {@code k} lies above disc {@code k-1}'s plane and below disc {@code k}'s
 * (each plane through the disc centroid, along its antero-posterior axis); slot 0 below the lowest
 * disc is the sacrum. A slot's level follows from the levels of its discs ({@link LevelFit}): the
 * body above disc level d is vertebra d + 1; where a disc was not found, the slot spans two or more
 * vertebrae and its body takes the level its centroid's position between the two discs points
 * to. For 14-class masks the slot of a vertebra is given by its label.
 */
final class VertebraSlots {
  /** How far below the lowest disc the sacrum is looked for. */
  static final double SACRUM_DEPTH_MM = 50.0;
  /** Default reach above the top disc when the disc spacing cannot be estimated. */
  static final double DEFAULT_TOP_REACH_MM = 40.0;
  /** Vertebra pixels further than this from the adjacent discs along their AP axis are ignored. */
  static final double LATERAL_REACH_MM = 60.0;
  /** A top structure under this fraction of the median area of the others is partial. */
  static final double PARTIAL_FRACTION = 0.5;

  private final MaskClasses classes;
  private final List<DiscPiece> discs;
  private final List<double[]> aps;
  private final double[] axis;
  private final BodyIsolator isolator;
  private final double[][] centroids;
  private final int[] discLevels;
  private final Map<Integer, LevelledVertebra> belowDisc = new HashMap<>();
  private final Map<Integer, LevelledVertebra> aboveDisc = new HashMap<>();

  /** @param discLevels per disc its level index ({@link LevelledDisc#levelIndex()}) */
  VertebraSlots(MaskClasses classes, List<DiscPiece> discs, int[] discLevels, List<double[]> aps,
      double[] axis, BodyIsolator isolator) {
    this.discLevels = discLevels;
    this.classes = classes;
    this.discs = discs;
    this.aps = aps;
    this.axis = axis;
    this.isolator = isolator;
    this.centroids = new double[discs.size()][];
    for (int i = 0; i < discs.size(); i++) {
      centroids[i] = discs.get(i).centroidMm();
    }
  }

  /** Bodies from the lowest upward. */
  List<LevelledVertebra> bodies(LabelMap.Scheme scheme, List<String> warnings) {
    List<LevelledVertebra> out = scheme == LabelMap.Scheme.SPIDER ? spiderBodies() : labelBodies();
    out = markSmall(out);
    for (LevelledVertebra v : out) {
      // Only the lumbar bodies are measured and reported: a thoracic body cut by the top of the
      // field of view is normal in every lumbar study, and a warning about it would mean nothing.
      if (v.partial() && !v.isSacrum() && v.level() != VertebraLevel.THORACIC) {
        warnings.add("VERTEBRA_PARTIAL: vertebral body " + v.level().displayName() + " is only "
            + "partly seen (image border or incomplete outline); its height and width are not "
            + "measured.");
      }
    }
    return out;
  }

  /**
   * Bodies under half the median area of the slice's other bodies are partial: the slice grazes
   * them (para-sagittal slices, scoliosis) or the outline stops part-way.
   */
  private List<LevelledVertebra> markSmall(List<LevelledVertebra> bodies) {
    List<LevelledVertebra> out = new ArrayList<>(bodies);
    for (int i = 0; i < bodies.size(); i++) {
      LevelledVertebra v = bodies.get(i);
      List<Double> areas = new ArrayList<>();
      for (LevelledVertebra o : bodies) {
        if (o != v && !o.isSacrum()) {
          areas.add(o.body().areaMm2());
        }
      }
      if (v.partial() || v.isSacrum() || areas.size() < 2
          || v.body().areaMm2() >= PARTIAL_FRACTION * median(areas)) {
        continue;
      }
      LevelledVertebra marked = new LevelledVertebra(v.level(), v.indexFromBottom(), v.body(),
          v.apX(), v.apY(), true, v.levelIndex());
      belowDisc.replaceAll((k, x) -> x == v ? marked : x);
      aboveDisc.replaceAll((k, x) -> x == v ? marked : x);
      out.set(i, marked);
    }
    return out;
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  int indexBelow(int disc, List<LevelledVertebra> vertebrae) {
    return indexOf(belowDisc.get(disc), vertebrae);
  }

  int indexAbove(int disc, List<LevelledVertebra> vertebrae) {
    return indexOf(aboveDisc.get(disc), vertebrae);
  }

  private static int indexOf(LevelledVertebra v, List<LevelledVertebra> vertebrae) {
    for (int i = 0; v != null && i < vertebrae.size(); i++) {
      if (vertebrae.get(i) == v) {
        return i;
      }
    }
    return -1;
  }

  private List<LevelledVertebra> spiderBodies() {
    SlotPixels all = new SlotPixels(classes.vertebraRuns(), classes.spacing());
    List<LevelledVertebra> out = new ArrayList<>();
    double topReach = topReach();
    for (int k = 0; k <= discs.size(); k++) {
      Integer lower = k >= 1 ? k - 1 : null;
      Integer upper = k < discs.size() ? k : null;
      int[] candidates = all.select(lower == null ? null : plane(lower),
          upper == null ? null : plane(upper), topReach);
      LevelledVertebra body = isolate(candidates, lower, upper, r -> slotLevel(lower, upper, r),
          k, upper == null && !topSlotInside(lower, topReach));
      if (body != null) {
        out.add(body);
      }
    }
    return out;
  }

  private List<LevelledVertebra> labelBodies() {
    List<LevelledVertebra> out = new ArrayList<>();
    AnatomyLabel[] order = {AnatomyLabel.SACRUM, AnatomyLabel.L5, AnatomyLabel.L4,
        AnatomyLabel.L3, AnatomyLabel.L2, AnatomyLabel.L1};
    for (AnatomyLabel label : order) {
      VertebraLevel level = VertebraLevel.ofLabel(label);
      Integer lower = discIndexOfOrdinal(level.ordinal() + 1);
      Integer upper = discIndexOfOrdinal(level.ordinal());
      if (lower == null && upper == null) {
        continue;
      }
      LevelledVertebra body = isolate(MaskClasses.indices(classes.vertebra(label)), lower, upper,
          r -> VertebraLevel.NAMED - level.ordinal(), out.size(),
          upper == null && lower != null && !topSlotInside(lower, topReach()));
      if (body != null) {
        out.add(body);
      }
    }
    return out;
  }

  /** Index into discs of the disc whose {@link DiscLevel} has this ordinal, or null. */
  private Integer discIndexOfOrdinal(int ordinal) {
    for (int i = 0; i < discs.size(); i++) {
      AnatomyLabel label = discs.get(i).label();
      if (label != null && DiscLevel.ofLabel(label).ordinal() == ordinal) {
        return i;
      }
    }
    return null;
  }

  /**
   * Whether the body above the top disc can lie fully inside the image: the point one expected
   * body height (80 % of the disc spacing) above the disc centroid is inside.
   */
  private boolean topSlotInside(int lower, double topReach) {
    double x = (centroids[lower][0] + 0.8 * topReach * axis[0]) / classes.spacing().colMm();
    double y = (centroids[lower][1] + 0.8 * topReach * axis[1]) / classes.spacing().rowMm();
    return x >= 0 && y >= 0 && x <= classes.width() - 1 && y <= classes.height() - 1;
  }

  /**
   * The level index of the body {@code body} of the slot between discs {@code lower} and
   * {@code upper} (either null at the ends).
   */
  private int slotLevel(Integer lower, Integer upper, Region body) {
    if (lower == null) {
      return discLevels[upper];
    }
    int a = discLevels[lower];
    if (upper == null) {
      return Math.min(a + 1, LevelNames.MAX_LEVEL);
    }
    int b = discLevels[upper];
    if (b - a <= 1) {
      return b;
    }
    double s0 = LevelLabeller.project(centroids[lower], axis);
    double s1 = LevelLabeller.project(centroids[upper], axis);
    double t = (LevelLabeller.project(body.centroidMm(), axis) - s0) / (s1 - s0);
    return Math.max(a + 1, Math.min(b, a + 1 + (int) Math.floor(t * (b - a))));
  }

  private LevelledVertebra isolate(int[] candidates, Integer lower, Integer upper,
      java.util.function.ToIntFunction<Region> levelOf, int index, boolean cutByBorder) {
    List<DiscPiece> adjacent = new ArrayList<>();
    double[] ap = {0, 0};
    for (Integer d : Arrays.asList(lower, upper)) {
      if (d != null) {
        adjacent.add(discs.get(d));
        ap[0] += aps.get(d)[0];
        ap[1] += aps.get(d)[1];
      }
    }
    double norm = Math.hypot(ap[0], ap[1]);
    ap = new double[] {ap[0] / norm, ap[1] / norm};
    Region body = isolator.isolate(candidates, adjacent, ap);
    if (body == null) {
      return null;
    }
    int levelIndex = levelOf.applyAsInt(body);
    LevelledVertebra v = new LevelledVertebra(VertebraLevel.fromBottom(levelIndex), index, body,
        ap[0], ap[1], cutByBorder || isolator.touchesBorder(body), levelIndex);
    if (lower != null) {
      aboveDisc.put(lower, v);
    }
    if (upper != null) {
      belowDisc.put(upper, v);
    }
    return v;
  }

  /**
   * Disc d's plane: centroid (mm), cranial normal (the signed distance above the plane is
   * {@code (p - c) . n}) and AP unit vector, as {@code {cx, cy, nx, ny, ux, uy}}.
   */
  private double[] plane(int d) {
    double[] c = centroids[d];
    double[] u = aps.get(d);
    double nx = -u[1];
    double ny = u[0];
    if (nx * axis[0] + ny * axis[1] < 0) {
      nx = -nx;
      ny = -ny;
    }
    return new double[] {c[0], c[1], nx, ny, u[0], u[1]};
  }

  /** Median centroid spacing of consecutive discs: how far above the top disc a body reaches. */
  private double topReach() {
    if (discs.size() < 2) {
      return DEFAULT_TOP_REACH_MM;
    }
    double[] gaps = new double[discs.size() - 1];
    for (int i = 1; i < discs.size(); i++) {
      gaps[i - 1] = LevelLabeller.project(centroids[i], axis)
          - LevelLabeller.project(centroids[i - 1], axis);
    }
    Arrays.sort(gaps);
    return gaps[gaps.length / 2];
  }
}
