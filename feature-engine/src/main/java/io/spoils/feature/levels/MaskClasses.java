package io.spoils.feature.levels;

import io.spoils.feature.anatomy.AnatomyLabel;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelSpacing;
import io.spoils.feature.levels.LevelLabeller.DiscPiece;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The classes of a label map as binary rasters and pixel lists, specks below the minimum area
 * removed. The map is read once, into horizontal runs per label value ({@link LabelRuns}), and
 * connected components are traced on a class's own runs only ({@link PixelRuns}), so the cost
 * grows with the structures' size, not with the image's, per class.
 */
final class MaskClasses {
  static final int SPIDER_DISC = 29;
  /**
   * The lumbosacral (L5-S1) disc of segmentation contract v2 ({@code triton-models/CONTRACT.md}):
   * a disc for every measurement, and the anchor of the level fit.
   */
  static final int SPIDER_LUMBOSACRAL = 31;
  static final int SPIDER_VERTEBRA = 76;
  static final int SPIDER_CANAL = 150;

  final LabelMap mask;
  private final double minAreaMm2;
  private final LabelRuns runs;
  private final Traced[] traced = new Traced[256];
  private final int[] canalIndices;
  private final Map<AnatomyLabel, boolean[]> vertebraByLabel = new EnumMap<>(AnatomyLabel.class);
  private PixelRuns vertebraAll;
  /** SPIDER disc pixels (29 and 31 together), traced once. */
  private Traced discs;

  private MaskClasses(LabelMap mask, double minAreaMm2) {
    this.mask = mask;
    this.minAreaMm2 = minAreaMm2;
    this.runs = LabelRuns.of(mask.labels(), mask.width(), mask.height());
    boolean spider = mask.scheme() == LabelMap.Scheme.SPIDER;
    this.canalIndices = kept(spider ? SPIDER_CANAL : AnatomyLabel.CANAL.id());
  }

  static MaskClasses of(LabelMap mask, double minAreaMm2) {
    return new MaskClasses(mask, minAreaMm2);
  }

  int width() {
    return mask.width();
  }

  int height() {
    return mask.height();
  }

  PixelSpacing spacing() {
    return mask.spacing();
  }

  /** The canal pixels, in raster order; shared, callers must not modify it. */
  int[] canalIndices() {
    return canalIndices;
  }

  Region canalRegion() {
    return new Region(canalIndices.clone(), mask.width(), mask.spacing());
  }

  /**
   * Disc pieces: SPIDER components of the disc and lumbosacral-disc pixels together (a disc drawn
   * partly as either is one piece), each with its count of lumbosacral pixels; or per 14-class
   * label the union of its components.
   */
  List<DiscPiece> discPieces() {
    List<DiscPiece> out = new ArrayList<>();
    if (mask.scheme() == LabelMap.Scheme.SPIDER) {
      if (discs == null) {
        discs = traced(runs.pixelRuns(SPIDER_DISC, SPIDER_LUMBOSACRAL));
      }
      byte[] labels = mask.labels();
      for (int[] comp : components(discs)) {
        int lumbosacral = 0;
        for (int p : comp) {
          lumbosacral += labels[p] == SPIDER_LUMBOSACRAL ? 1 : 0;
        }
        out.add(new DiscPiece(new Region(comp, mask.width(), mask.spacing()), null, lumbosacral));
      }
      return out;
    }
    for (AnatomyLabel label : AnatomyLabel.values()) {
      if (label.isDisc()) {
        int[] pixels = kept(label.id());
        if (pixels.length > 0) {
          out.add(new DiscPiece(new Region(pixels, mask.width(), mask.spacing()), label));
        }
      }
    }
    return out;
  }

  /**
   * All SPIDER vertebra pixels (body, posterior elements, sacrum), in raster order; shared,
   * callers must not modify it.
   */
  int[] vertebraAll() {
    return vertebraRuns().pixels();
  }

  /** {@link #vertebraAll()} as runs. */
  PixelRuns vertebraRuns() {
    if (vertebraAll == null) {
      Traced t = traced(SPIDER_VERTEBRA);
      vertebraAll = t.runs().keep(t.keep());
    }
    return vertebraAll;
  }

  /** Pixels of one 14-class vertebra label. */
  boolean[] vertebra(AnatomyLabel label) {
    return vertebraByLabel.computeIfAbsent(label, l -> cleaned(l.id()));
  }

  private static List<int[]> components(Traced t) {
    List<int[]> all = t.runs().components();
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      if (t.keep()[i]) {
        out.add(all.get(i));
      }
    }
    return out;
  }

  /** The pixels of a class in components of at least the minimum area, in raster order. */
  private int[] kept(int classId) {
    Traced t = traced(classId);
    return t.runs().pixelsOf(t.keep());
  }

  /** A class's components and, per component, whether it reaches the minimum area. */
  private record Traced(PixelRuns runs, boolean[] keep) {}

  /** Traces a class once. */
  private Traced traced(int classId) {
    if (traced[classId] == null) {
      traced[classId] = traced(runs.pixelRuns(classId));
    }
    return traced[classId];
  }

  private Traced traced(PixelRuns runs) {
    double pixelArea = mask.spacing().pixelAreaMm2();
    boolean[] keep = new boolean[runs.count()];
    for (int i = 0; i < keep.length; i++) {
      keep[i] = runs.size(i) * pixelArea >= minAreaMm2;
    }
    return new Traced(runs, keep);
  }

  private boolean[] cleaned(int classId) {
    boolean[] out = new boolean[mask.labels().length];
    for (int p : kept(classId)) {
      out[p] = true;
    }
    return out;
  }

  static int[] indices(boolean[] flags) {
    int n = 0;
    for (boolean f : flags) {
      n += f ? 1 : 0;
    }
    int[] out = new int[n];
    int k = 0;
    for (int i = 0; i < flags.length; i++) {
      if (flags[i]) {
        out[k++] = i;
      }
    }
    return out;
  }
}
