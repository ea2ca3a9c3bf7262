package io.spoils.feature.levels;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.anatomy.AnatomyLabel;
import io.spoils.feature.anatomy.DiscLevel;
import io.spoils.feature.anatomy.VertebraLevel;
import io.spoils.feature.image.LabelMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Finds discs, vertebral bodies and the spinal canal in a label map and names their levels.
 *
 * <p>Discs are the 8-connected components of disc pixels of at least {@code minAreaMm2}. They are
 * ordered along the spine axis (the principal axis of the disc centroids, so lordosis does not
 * reorder them), assuming the usual display with the head at the top of the image (cranial =
 * smaller row). SPIDER masks carry no level numbers: discs are named by counting upward from the
 * lowest one ({@link DiscLevel#fromBottom}); 14-class masks name them by label and the order is
 * checked. The anterior side of each disc is the side away from the spinal canal; no image side is
 * assumed. See {@link BodyIsolator} for how vertebral bodies are separated from posterior elements.
 */
public final class LevelLabeller {
  /** Disc pieces whose nearest pixels are closer than this (mm) are fragments of one disc. */
  static final double FRAGMENT_GAP_MM = 5.0;
  /**
   * Disc pieces whose centroids are closer than this along the spine axis are fragments of one
   * disc: adjacent discs lie a vertebral body apart (centroid spacing about 25 mm or more in
   * adults).
   */
  static final double FRAGMENT_AXIAL_GAP_MM = 12.0;
  /** Lumbar discs expected in a full field of view: L1-L2 to L5-S1. */
  static final int EXPECTED_MIN_DISCS = 5;
  /** See {@link #isPartialDisc}. */
  static final double PARTIAL_WIDTH_FRACTION = 0.6;

  private final double minAreaMm2;
  private final double posteriorMarginMm;
  private final double canalSearchMm;

  /**
   * @param minAreaMm2 components smaller than this (mm²) are specks and dropped
   * @param posteriorMarginMm see {@link BodyIsolator}
   * @param canalSearchMm how far anterior of a vertebra pixel the canal is looked for (mm)
   */
  public LevelLabeller(double minAreaMm2, double posteriorMarginMm, double canalSearchMm) {
    this.minAreaMm2 = minAreaMm2;
    this.posteriorMarginMm = posteriorMarginMm;
    this.canalSearchMm = canalSearchMm;
  }

  /**
   * Labels the levels of one slice.
   *
   * @throws InvalidInputException when the mask holds no disc of at least the minimum area
   */
  public SpineLevels label(LabelMap mask) {
    MaskClasses classes = MaskClasses.of(mask, minAreaMm2);
    List<String> warnings = new ArrayList<>();
    List<DiscPiece> pieces = classes.discPieces();
    if (pieces.isEmpty()) {
      throw new InvalidInputException("no intervertebral disc found in the mask");
    }
    double[] axis = spineAxis(pieces);
    pieces = sortedAlong(pieces, axis);
    if (mask.scheme() == LabelMap.Scheme.SPIDER) {
      pieces = mergeFragments(pieces, axis, mask, warnings);
    } else {
      checkLabelOrder(pieces, warnings);
    }
    List<double[]> aps = AnteriorSide.of(pieces, classes, axis, warnings);
    return assemble(mask, classes, pieces, aps, axis, warnings);
  }

  private SpineLevels assemble(LabelMap mask, MaskClasses classes, List<DiscPiece> pieces,
      List<double[]> aps, double[] axis, List<String> warnings) {
    BodyIsolator isolator = new BodyIsolator(classes.canalIndices(),
        mask.width(), mask.height(), mask.spacing(), minAreaMm2, posteriorMarginMm, canalSearchMm);
    VertebraSlots slots = new VertebraSlots(classes, pieces, aps, axis, isolator);
    List<LevelledVertebra> vertebrae = slots.bodies(mask.scheme(), warnings);
    List<LevelledDisc> discs = new ArrayList<>();
    double[] extents = new double[pieces.size()];
    for (int i = 0; i < pieces.size(); i++) {
      extents[i] = extent(pieces.get(i).region(), aps.get(i));
    }
    for (int i = 0; i < pieces.size(); i++) {
      DiscPiece piece = pieces.get(i);
      DiscLevel level = piece.label() == null ? DiscLevel.fromBottom(i)
          : DiscLevel.ofLabel(piece.label());
      int below = slots.indexBelow(i, vertebrae);
      int above = slots.indexAbove(i, vertebrae);
      boolean partial = isPartialDisc(i, pieces, extents, isolator);
      if (partial) {
        warnings.add("DISC_PARTIAL: disc " + level.displayName() + " is only partly seen (image "
            + "border or incomplete outline); its shape is not measured.");
      }
      discs.add(new LevelledDisc(level, i, piece.region(), aps.get(i)[0], aps.get(i)[1], below,
          above, partial));
      warnMissingNeighbours(level, below, above, i, warnings);
    }
    warnCounts(mask.scheme(), discs, vertebrae, warnings);
    return new SpineLevels(discs, vertebrae, classes.canalRegion(), warnings);
  }

  /**
   * A disc is partial when it touches the image border, or its extent along its own AP axis is
   * under {@link #PARTIAL_WIDTH_FRACTION} of the median of the slice's other discs (the slice
   * grazes it, or the outline stops part-way). Width, not area, is compared so that collapsed
   * discs, which keep their width, are still measured.
   */
  private static boolean isPartialDisc(int i, List<DiscPiece> pieces, double[] extents,
      BodyIsolator isolator) {
    if (isolator.touchesBorder(pieces.get(i).region())) {
      return true;
    }
    List<Double> others = new ArrayList<>();
    for (int j = 0; j < pieces.size(); j++) {
      if (j != i) {
        others.add(extents[j]);
      }
    }
    return others.size() >= 2
        && extents[i] < PARTIAL_WIDTH_FRACTION * VertebraSlots.median(others);
  }

  private static double extent(Region region, double[] ap) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    int w = region.imageWidth();
    int y = -1;
    int rowStart = 0;
    for (int p : region.pixels()) {
      if (y < 0 || p < rowStart || p >= rowStart + w) {
        y = p / w;
        rowStart = y * w;
      }
      double s = (p - rowStart) * region.spacing().colMm() * ap[0]
          + y * region.spacing().rowMm() * ap[1];
      lo = Math.min(lo, s);
      hi = Math.max(hi, s);
    }
    return hi - lo;
  }

  static double project(double[] pointMm, double[] axis) {
    return pointMm[0] * axis[0] + pointMm[1] * axis[1];
  }

  /** Unit vector along the spine pointing cranially (toward smaller rows). */
  private static double[] spineAxis(List<DiscPiece> pieces) {
    double[] axis;
    if (pieces.size() >= 2) {
      double[] xs = new double[pieces.size()];
      double[] ys = new double[pieces.size()];
      for (int i = 0; i < pieces.size(); i++) {
        double[] c = pieces.get(i).centroidMm();
        xs[i] = c[0];
        ys[i] = c[1];
      }
      axis = PrincipalAxis.major(xs, ys);
    } else {
      double[] ap = PrincipalAxis.major(pieces.get(0).region());
      axis = new double[] {-ap[1], ap[0]};
    }
    return axis[1] > 0 ? new double[] {-axis[0], -axis[1]} : axis;
  }

  /**
   * Merges disc pieces lying within {@link #FRAGMENT_GAP_MM} of each other (nearest pixels) or
   * within {@link #FRAGMENT_AXIAL_GAP_MM} along the spine axis: two real discs are always
   * separated by a vertebral body, so such pieces are parts of one disc (thin or para-sagittal
   * discs are often drawn as several dashes).
   */
  private List<DiscPiece> mergeFragments(List<DiscPiece> sorted, double[] axis, LabelMap mask,
      List<String> warnings) {
    int[] group = FragmentGroups.of(sorted, mask, FRAGMENT_GAP_MM, axis, FRAGMENT_AXIAL_GAP_MM);
    List<DiscPiece> out = new ArrayList<>();
    int[] slot = new int[sorted.size()];
    java.util.Arrays.fill(slot, -1);
    int merged = 0;
    for (int i = 0; i < sorted.size(); i++) {
      int g = group[i];
      if (slot[g] < 0) {
        slot[g] = out.size();
        out.add(sorted.get(i));
      } else {
        DiscPiece first = out.get(slot[g]);
        out.set(slot[g], new DiscPiece(union(first.region(), sorted.get(i).region()), null));
        merged++;
      }
    }
    if (merged > 0) {
      warnings.add("DISC_FRAGMENTS_MERGED: " + merged + " disc piece(s) lying next to another "
          + "disc piece were treated as parts of the same disc.");
      out = sortedAlong(out, axis);
    }
    return out;
  }

  /** The pieces by their centroid's projection on the axis (stable), each centroid found once. */
  private static List<DiscPiece> sortedAlong(List<DiscPiece> pieces, double[] axis) {
    record Keyed(double key, DiscPiece piece) {}
    List<Keyed> keyed = new ArrayList<>(pieces.size());
    for (DiscPiece d : pieces) {
      keyed.add(new Keyed(project(d.centroidMm(), axis), d));
    }
    keyed.sort(Comparator.comparingDouble(Keyed::key));
    List<DiscPiece> out = new ArrayList<>(pieces.size());
    keyed.forEach(k -> out.add(k.piece()));
    return out;
  }

  private static Region union(Region a, Region b) {
    int[] pixels = new int[a.size() + b.size()];
    System.arraycopy(a.pixels(), 0, pixels, 0, a.size());
    System.arraycopy(b.pixels(), 0, pixels, a.size(), b.size());
    java.util.Arrays.sort(pixels);
    return new Region(pixels, a.imageWidth(), a.spacing());
  }

  private static void checkLabelOrder(List<DiscPiece> sortedByAxis, List<String> warnings) {
    for (int i = 1; i < sortedByAxis.size(); i++) {
      if (sortedByAxis.get(i).label().id() > sortedByAxis.get(i - 1).label().id()) {
        warnings.add("LEVEL_ORDER_INCONSISTENT: the disc labels are not in anatomical order along "
            + "the spine; the segmentation may have swapped levels.");
        return;
      }
    }
  }

  private static void warnMissingNeighbours(DiscLevel level, int below, int above, int index,
      List<String> warnings) {
    if (below < 0) {
      warnings.add("DISC_WITHOUT_VERTEBRA_BELOW: no vertebral body was found below disc "
          + level.displayName() + " (position " + index + " from the bottom).");
    }
    if (above < 0) {
      warnings.add("DISC_WITHOUT_VERTEBRA_ABOVE: no vertebral body was found above disc "
          + level.displayName() + " (position " + index + " from the bottom).");
    }
  }

  private static void warnCounts(LabelMap.Scheme scheme, List<LevelledDisc> discs,
      List<LevelledVertebra> vertebrae, List<String> warnings) {
    if (scheme == LabelMap.Scheme.SPIDER && discs.size() > DiscLevel.NAMED) {
      warnings.add("MORE_THAN_SIX_DISCS: " + discs.size() + " discs were found; the ones above "
          + "T12-L1 are reported as thoracic. If the field of view does not reach the thoracic "
          + "spine, transitional anatomy is possible and the count from the sacrum may be off.");
    }
    if (discs.size() < EXPECTED_MIN_DISCS) {
      warnings.add("FEWER_DISCS_THAN_EXPECTED: only " + discs.size() + " disc(s) were found "
          + "where at least " + EXPECTED_MIN_DISCS + " lumbar discs are expected; levels counted "
          + "from the lowest disc assume it is L5-S1.");
    }
    boolean sacrum = vertebrae.stream().anyMatch(v -> v.level() == VertebraLevel.SACRUM);
    if (scheme == LabelMap.Scheme.SPIDER && !sacrum) {
      warnings.add("NO_SACRUM: no vertebral structure was found below the lowest disc, so it may "
          + "not be L5-S1.");
    }
  }

  /**
   * A disc component (or union of pieces), with its 14-class label when the mask has one, and
   * its centroid (mm, as {@link Region#centroidMm()}; shared, not to be modified), found once.
   */
  record DiscPiece(Region region, AnatomyLabel label, double[] centroidMm) {
    DiscPiece(Region region, AnatomyLabel label) {
      this(region, label, region.centroidMm());
    }
  }
}
