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
 * removed. The map is read once: its pixels are bucketed by label value (each bucket in raster
 * order), and connected components are traced from a class's own pixels only, so the cost grows
 * with the structures' size, not with the image's per class.
 */
final class MaskClasses {
  static final int SPIDER_DISC = 29;
  static final int SPIDER_VERTEBRA = 76;
  static final int SPIDER_CANAL = 150;

  final LabelMap mask;
  private final double minAreaMm2;
  private final int[] bucketStart = new int[257];
  private final int[] byValue;
  private final boolean[] canal;
  private final int[] canalIndices;
  private final Map<AnatomyLabel, boolean[]> vertebraByLabel = new EnumMap<>(AnatomyLabel.class);
  private int[] vertebraAll;

  private MaskClasses(LabelMap mask, double minAreaMm2) {
    this.mask = mask;
    this.minAreaMm2 = minAreaMm2;
    this.byValue = bucket(mask.labels());
    boolean spider = mask.scheme() == LabelMap.Scheme.SPIDER;
    this.canal = cleaned(spider ? SPIDER_CANAL : AnatomyLabel.CANAL.id());
    this.canalIndices = indices(canal, pixelsOf(spider ? SPIDER_CANAL : AnatomyLabel.CANAL.id()));
  }

  /** Pixel indices ordered by label value, raster order within a value (a counting sort). */
  private int[] bucket(byte[] labels) {
    for (byte b : labels) {
      bucketStart[(b & 0xFF) + 1]++;
    }
    for (int v = 0; v < 256; v++) {
      bucketStart[v + 1] += bucketStart[v];
    }
    int[] next = java.util.Arrays.copyOf(bucketStart, 256);
    int[] out = new int[labels.length];
    for (int p = 0; p < labels.length; p++) {
      out[next[labels[p] & 0xFF]++] = p;
    }
    return out;
  }

  /** The pixels of one label value, in raster order. */
  private int[] pixelsOf(int value) {
    return java.util.Arrays.copyOfRange(byValue, bucketStart[value], bucketStart[value + 1]);
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

  boolean[] canal() {
    return canal;
  }

  /** The canal pixels, in raster order; shared, callers must not modify it. */
  int[] canalIndices() {
    return canalIndices;
  }

  Region canalRegion() {
    return new Region(canalIndices.clone(), mask.width(), mask.spacing());
  }

  /** Disc pieces: SPIDER components, or per 14-class label the union of its components. */
  List<DiscPiece> discPieces() {
    List<DiscPiece> out = new ArrayList<>();
    if (mask.scheme() == LabelMap.Scheme.SPIDER) {
      for (int[] comp : components(SPIDER_DISC)) {
        out.add(new DiscPiece(new Region(comp, mask.width(), mask.spacing()), null));
      }
      return out;
    }
    for (AnatomyLabel label : AnatomyLabel.values()) {
      if (label.isDisc()) {
        int[] pixels = indices(cleaned(label.id()), pixelsOf(label.id()));
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
    if (vertebraAll == null) {
      vertebraAll = indices(cleaned(SPIDER_VERTEBRA), pixelsOf(SPIDER_VERTEBRA));
    }
    return vertebraAll;
  }

  /** Pixels of one 14-class vertebra label. */
  boolean[] vertebra(AnatomyLabel label) {
    return vertebraByLabel.computeIfAbsent(label, l -> cleaned(l.id()));
  }

  private List<int[]> components(int classId) {
    List<int[]> out = new ArrayList<>();
    double pixelArea = mask.spacing().pixelAreaMm2();
    for (int[] comp : ConnectedComponents.ofValue(mask.labels(), classId, pixelsOf(classId),
        mask.width(), mask.height())) {
      if (comp.length * pixelArea >= minAreaMm2) {
        out.add(comp);
      }
    }
    return out;
  }

  private boolean[] cleaned(int classId) {
    boolean[] out = new boolean[mask.labels().length];
    for (int[] comp : components(classId)) {
      for (int p : comp) {
        out[p] = true;
      }
    }
    return out;
  }

  /** The set ones among {@code candidates} (kept in their order). */
  private static int[] indices(boolean[] flags, int[] candidates) {
    int[] out = new int[candidates.length];
    int n = 0;
    for (int p : candidates) {
      if (flags[p]) {
        out[n++] = p;
      }
    }
    return java.util.Arrays.copyOf(out, n);
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
