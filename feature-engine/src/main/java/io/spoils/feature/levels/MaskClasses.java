package io.spoils.feature.levels;

import io.spoils.feature.anatomy.AnatomyLabel;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelSpacing;
import io.spoils.feature.levels.LevelLabeller.DiscPiece;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The classes of a label map as binary rasters, specks below the minimum area removed. */
final class MaskClasses {
  static final int SPIDER_DISC = 29;
  static final int SPIDER_VERTEBRA = 76;
  static final int SPIDER_CANAL = 150;

  final LabelMap mask;
  private final double minAreaMm2;
  private final boolean[] canal;
  private final Map<AnatomyLabel, boolean[]> vertebraByLabel = new EnumMap<>(AnatomyLabel.class);
  private boolean[] vertebraAll;

  private MaskClasses(LabelMap mask, double minAreaMm2) {
    this.mask = mask;
    this.minAreaMm2 = minAreaMm2;
    boolean spider = mask.scheme() == LabelMap.Scheme.SPIDER;
    this.canal = cleaned(spider ? SPIDER_CANAL : AnatomyLabel.CANAL.id());
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

  Region canalRegion() {
    return new Region(indices(canal), mask.width(), mask.spacing());
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
        int[] pixels = indices(cleaned(label.id()));
        if (pixels.length > 0) {
          out.add(new DiscPiece(new Region(pixels, mask.width(), mask.spacing()), label));
        }
      }
    }
    return out;
  }

  /** All SPIDER vertebra pixels (body, posterior elements, sacrum). */
  boolean[] vertebraAll() {
    if (vertebraAll == null) {
      vertebraAll = cleaned(SPIDER_VERTEBRA);
    }
    return vertebraAll;
  }

  /** Pixels of one 14-class vertebra label. */
  boolean[] vertebra(AnatomyLabel label) {
    return vertebraByLabel.computeIfAbsent(label, l -> cleaned(l.id()));
  }

  private List<int[]> components(int classId) {
    boolean[] raw = new boolean[mask.labels().length];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = (mask.labels()[i] & 0xFF) == classId;
    }
    List<int[]> out = new ArrayList<>();
    double pixelArea = mask.spacing().pixelAreaMm2();
    for (int[] comp : ConnectedComponents.of(raw, mask.width(), mask.height())) {
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
