package io.spoils.feature.levels;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.anatomy.AnatomyLabel;
import io.spoils.feature.anatomy.DiscLevel;
import io.spoils.feature.image.LabelMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Finds discs, vertebral bodies and the spinal canal in a label map and names their levels.
 *
 * <p>Discs are the 8-connected components of disc pixels of at least {@code minAreaMm2}; in the
 * SPIDER scheme the lumbosacral-disc value 31 of segmentation contract v2 counts as disc pixels
 * for every component and measurement. They are ordered along the spine axis (the principal axis
 * of the disc centroids, so lordosis does not reorder them), assuming the usual display with the
 * head at the top of the image (cranial = smaller row). SPIDER-scheme maps carry no level numbers:
 * pieces lying next to each other are merged ({@link FragmentGroups}), then {@link LevelFit} names
 * all discs jointly, anchored at the disc marked lumbosacral (value 31) when there is one and at
 * the lowest plausible disc otherwise, and the vertebral bodies take their levels from the discs
 * around them ({@link VertebraSlots}). 14-class maps name discs by label and the order is checked.
 * The anterior side of each disc is the side away from the spinal canal; no image side is assumed.
 * See {@link BodyIsolator} for how vertebral bodies are separated from posterior elements.
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
  /**
   * Discs expected at least in a lumbar field of view: one whose top is at L2 shows L2-L3 to
   * L5-S1.
   */
  static final int EXPECTED_MIN_DISCS = 4;
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
    BodyIsolator isolator = new BodyIsolator(classes.canalIndices(),
        mask.width(), mask.height(), mask.spacing(), minAreaMm2, posteriorMarginMm, canalSearchMm);
    FittedDiscs fitted;
    if (mask.scheme() == LabelMap.Scheme.SPIDER) {
      int before = pieces.size();
      pieces = mergeFragments(pieces, axis, mask);
      fitted = FittedDiscs.fit(pieces, classes, axis, isolator, before - pieces.size(),
          warnings);
    } else {
      checkLabelOrder(pieces, warnings);
      fitted = FittedDiscs.labelled(pieces);
    }
    List<double[]> aps = AnteriorSide.of(fitted.discs(), classes, axis, warnings);
    return assemble(mask, classes, fitted, aps, axis, isolator, warnings);
  }

  private SpineLevels assemble(LabelMap mask, MaskClasses classes, FittedDiscs fitted,
      List<double[]> aps, double[] axis, BodyIsolator isolator, List<String> warnings) {
    List<DiscPiece> pieces = fitted.discs();
    VertebraSlots slots = new VertebraSlots(classes, pieces, fitted.levels(), aps, axis,
        isolator);
    List<LevelledVertebra> vertebrae = slots.bodies(mask.scheme(), warnings);
    List<LevelledDisc> discs = new ArrayList<>();
    double[] extents = new double[pieces.size()];
    for (int i = 0; i < pieces.size(); i++) {
      extents[i] = extent(pieces.get(i).region(), aps.get(i));
    }
    for (int i = 0; i < pieces.size(); i++) {
      DiscPiece piece = pieces.get(i);
      int levelIndex = fitted.levels()[i];
      DiscLevel level = piece.label() == null ? DiscLevel.fromBottom(levelIndex)
          : DiscLevel.ofLabel(piece.label());
      int below = slots.indexBelow(i, vertebrae);
      int above = slots.indexAbove(i, vertebrae);
      boolean partial = isPartialDisc(i, pieces, extents, isolator);
      if (partial) {
        warnings.add("DISC_PARTIAL: disc " + level.displayName() + " is only partly seen (image "
            + "border or incomplete outline); its shape is not measured.");
      }
      discs.add(new LevelledDisc(level, i, piece.region(), aps.get(i)[0], aps.get(i)[1], below,
          above, partial, levelIndex, 2L * piece.lumbosacralPixels() > piece.region().size()));
      // neither SPIDER references nor the segmentation label the sacrum: no body below L5-S1 is
      // normal in that scheme
      boolean sacrumUnlabelled = mask.scheme() == LabelMap.Scheme.SPIDER && levelIndex == 0;
      warnMissingNeighbours(level, sacrumUnlabelled ? 0 : below, above, i, warnings);
    }
    if (discs.size() < EXPECTED_MIN_DISCS) {
      warnings.add("FEWER_DISCS_THAN_EXPECTED: only " + discs.size() + " disc(s) were found "
          + "where a lumbar field of view shows at least " + EXPECTED_MIN_DISCS + " (L2-L3 to "
          + "L5-S1); the level naming has little spacing to check itself against.");
    }
    return new SpineLevels(discs, vertebrae, classes.canalRegion(), warnings, fitted.unnamed());
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
   * discs are often drawn as several dashes); but disc-sized pieces joined only through smaller
   * ones stay apart ({@link BridgedDiscs}). The level fit reports how many were merged.
   */
  private List<DiscPiece> mergeFragments(List<DiscPiece> sorted, double[] axis, LabelMap mask) {
    int[] group = BridgedDiscs.split(sorted,
        FragmentGroups.of(sorted, mask, FRAGMENT_GAP_MM, axis, FRAGMENT_AXIAL_GAP_MM), axis,
        FRAGMENT_GAP_MM, FRAGMENT_AXIAL_GAP_MM);
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
        out.set(slot[g], union(out.get(slot[g]), sorted.get(i)));
        merged++;
      }
    }
    return merged > 0 ? sortedAlong(out, axis) : out;
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

  /** One SPIDER disc of two pieces (no 14-class label). */
  static DiscPiece union(DiscPiece a, DiscPiece b) {
    Region ra = a.region();
    Region rb = b.region();
    int[] pixels = new int[ra.size() + rb.size()];
    System.arraycopy(ra.pixels(), 0, pixels, 0, ra.size());
    System.arraycopy(rb.pixels(), 0, pixels, ra.size(), rb.size());
    java.util.Arrays.sort(pixels);
    return new DiscPiece(new Region(pixels, ra.imageWidth(), ra.spacing()), null,
        a.lumbosacralPixels() + b.lumbosacralPixels());
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

  /**
   * A disc component (or union of pieces), with its 14-class label when the mask has one, its
   * number of lumbosacral-disc pixels (SPIDER scheme), and its centroid (mm, as
   * {@link Region#centroidMm()}; shared, not to be modified), found once.
   */
  record DiscPiece(Region region, AnatomyLabel label, int lumbosacralPixels,
      double[] centroidMm) {
    DiscPiece(Region region, AnatomyLabel label) {
      this(region, label, 0);
    }

    DiscPiece(Region region, AnatomyLabel label, int lumbosacralPixels) {
      this(region, label, lumbosacralPixels, region.centroidMm());
    }
  }
}
