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
 * disc is the sacrum. For 14-class masks the slot of a vertebra is given by its label.
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
  private final Map<Integer, LevelledVertebra> belowDisc = new HashMap<>();
  private final Map<Integer, LevelledVertebra> aboveDisc = new HashMap<>();

  VertebraSlots(MaskClasses classes, List<DiscPiece> discs, List<double[]> aps, double[] axis,
      BodyIsolator isolator) {
    this.classes = classes;
    this.discs = discs;
    this.aps = aps;
    this.axis = axis;
    this.isolator = isolator;
    this.centroids = new double[discs.size()][];
    for (int i = 0; i < discs.size(); i++) {
      centroids[i] = discs.get(i).region().centroidMm();
    }
  }

  /** Bodies from the lowest upward. */
  List<LevelledVertebra> bodies(LabelMap.Scheme scheme, List<String> warnings) {
    List<LevelledVertebra> out = scheme == LabelMap.Scheme.SPIDER ? spiderBodies() : labelBodies();
    out = markSmall(out);
    for (LevelledVertebra v : out) {
      if (v.partial() && !v.isSacrum()) {
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
          v.apX(), v.apY(), true);
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
    int[] all = classes.vertebraAll();
    List<LevelledVertebra> out = new ArrayList<>();
    double topReach = topReach();
    for (int k = 0; k <= discs.size(); k++) {
      Integer lower = k >= 1 ? k - 1 : null;
      Integer upper = k < discs.size() ? k : null;
      int[] candidates = slotCandidates(all, lower, upper, topReach);
      LevelledVertebra body = isolate(candidates, lower, upper, VertebraLevel.fromBottom(k), k,
          upper == null && !topSlotInside(lower, topReach));
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
          level, out.size(),
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

  private LevelledVertebra isolate(int[] candidates, Integer lower, Integer upper,
      VertebraLevel level, int index, boolean cutByBorder) {
    List<Region> adjacent = new ArrayList<>();
    double[] ap = {0, 0};
    for (Integer d : Arrays.asList(lower, upper)) {
      if (d != null) {
        adjacent.add(discs.get(d).region());
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
    LevelledVertebra v = new LevelledVertebra(level, index, body, ap[0], ap[1],
        cutByBorder || isolator.touchesBorder(body));
    if (lower != null) {
      aboveDisc.put(lower, v);
    }
    if (upper != null) {
      belowDisc.put(upper, v);
    }
    return v;
  }

  /** The pixels of {@code all} (raster order) in the slot, in raster order. */
  private int[] slotCandidates(int[] all, Integer lower, Integer upper, double topReach) {
    int w = classes.width();
    double col = classes.spacing().colMm();
    double row = classes.spacing().rowMm();
    double[] lo = lower == null ? null : plane(lower);
    double[] up = upper == null ? null : plane(upper);
    int[] range = rowRange(all, lo, up, topReach);
    int[] out = new int[range[1] - range[0]];
    int n = 0;
    int y = -1;
    int rowStart = 0;
    double py = 0;
    for (int i = range[0]; i < range[1]; i++) {
      int p = all[i];
      if (y < 0 || p >= rowStart + w) {
        y = p / w;
        rowStart = y * w;
        py = y * row;
      }
      double px = (p - rowStart) * col;
      boolean inside = true;
      if (lo != null) {
        double h = (px - lo[0]) * lo[2] + (py - lo[1]) * lo[3];
        inside = h > 0 && (up != null || h < topReach) && lateral(px, py, lo);
      }
      if (inside && up != null) {
        double h = (px - up[0]) * up[2] + (py - up[1]) * up[3];
        inside = h < 0 && (lo != null || h > -SACRUM_DEPTH_MM) && lateral(px, py, up);
      }
      if (inside) {
        out[n++] = p;
      }
    }
    return Arrays.copyOf(out, n);
  }

  /**
   * The index range of {@code all} (raster order) in the rows the slot can reach: the slot lies
   * within {@link #LATERAL_REACH_MM} of each bounding disc along its AP axis, above the lower
   * disc's plane and below the upper one's (and within the top reach or the sacrum depth of a
   * single plane), so its rows are bounded by the corners of those disc segments. The bound is
   * widened by two rows; the pixels outside it fail the slot test anyway, so the result is the
   * same as scanning all. When a disc normal does not point toward smaller rows the whole range
   * is used.
   */
  private int[] rowRange(int[] all, double[] lo, double[] up, double topReach) {
    double[] ys;
    if (lo != null && up != null) {
      if (lo[3] > 0 || up[3] > 0) {
        return new int[] {0, all.length};
      }
      ys = new double[] {min(segmentYs(up, 0)), max(segmentYs(lo, 0))};
    } else {
      double[] plane = lo != null ? lo : up;
      double[] a = segmentYs(plane, 0);
      double[] b = segmentYs(plane, lo != null ? topReach : -SACRUM_DEPTH_MM);
      ys = new double[] {Math.min(min(a), min(b)), Math.max(max(a), max(b))};
    }
    double row = classes.spacing().rowMm();
    long first = (long) Math.floor(ys[0] / row) - 2;
    long last = (long) Math.ceil(ys[1] / row) + 2;
    if (!(ys[0] <= ys[1]) || last < 0) {
      return Double.isNaN(ys[0] + ys[1]) ? new int[] {0, all.length} : new int[] {0, 0};
    }
    long w = classes.width();
    return new int[] {firstAtOrAfter(all, Math.max(0, first) * w),
        firstAtOrAfter(all, (last + 1) * w)};
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

  private static int firstAtOrAfter(int[] sorted, long index) {
    if (index > Integer.MAX_VALUE) {
      return sorted.length;
    }
    int i = Arrays.binarySearch(sorted, (int) index);
    return i >= 0 ? i : -i - 1;
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

  private static boolean lateral(double px, double py, double[] plane) {
    return Math.abs((px - plane[0]) * plane[4] + (py - plane[1]) * plane[5]) <= LATERAL_REACH_MM;
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
