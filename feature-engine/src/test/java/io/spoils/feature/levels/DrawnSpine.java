package io.spoils.feature.levels;

import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelSpacing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A straight vertical spine drawn in SPIDER values, head up, anterior toward column 0, like a
 * segmentation of a lumbar slice: discs {@value #DISC_HEIGHT_MM} mm high and 40 mm wide (columns
 * 10-50 mm), vertebra between them and one body above the top disc, the canal behind (52-62 mm),
 * and nothing below the lowest disc (neither SPIDER nor the segmentation label the sacrum). Disc
 * 0 is the lowest. Changes (a lumbosacral mark, a missing or split disc, specks) are applied in
 * mm from the image's top-left corner.
 */
final class DrawnSpine {
  static final double DISC_HEIGHT_MM = 8.0;
  static final double BOTTOM_MARGIN_MM = 25.0;
  static final double TOP_BODY_MM = 25.0;

  private final PixelSpacing spacing;
  private final int count;
  private final double pitchMm;
  private final Set<Integer> lumbosacral = new HashSet<>();
  private final Set<Integer> missing = new HashSet<>();
  private final Set<Integer> split = new HashSet<>();
  private final Map<Integer, Double> shifted = new HashMap<>();
  private final List<double[]> specks = new ArrayList<>();
  private final List<double[]> bridges = new ArrayList<>();

  DrawnSpine(int discs, double pitchMm, PixelSpacing spacing) {
    this.count = discs;
    this.pitchMm = pitchMm;
    this.spacing = spacing;
  }

  DrawnSpine(int discs, double pitchMm) {
    this(discs, pitchMm, new PixelSpacing(0.5, 0.5));
  }

  /** Disc i is drawn with the lumbosacral-disc value 31. */
  DrawnSpine lumbosacral(int i) {
    lumbosacral.add(i);
    return this;
  }

  /** Disc i is not drawn (vertebra in its place: a disc the segmentation missed). */
  DrawnSpine missing(int i) {
    missing.add(i);
    return this;
  }

  /** Disc i is drawn as two pieces, a 6 mm gap between its anterior and posterior halves. */
  DrawnSpine split(int i) {
    split.add(i);
    return this;
  }

  /** Disc i is moved by {@code mm} (positive: upward). */
  DrawnSpine shift(int i, double mm) {
    shifted.put(i, mm);
    return this;
  }

  /** A square disc-labelled speck of side {@code sideMm} centred {@code aboveMm} above disc 0. */
  DrawnSpine speck(double aboveMm, double sideMm) {
    specks.add(new double[] {aboveMm, sideMm});
    return this;
  }

  /**
   * A disc-labelled bar {@code widthMm} wide (from x = 30 mm) across the vertebral body between
   * discs i and i + 1, 2 mm short of each: a separate blob within the fragment gap of both.
   */
  DrawnSpine bridge(int i, double widthMm) {
    bridges.add(new double[] {i, widthMm});
    return this;
  }

  /** Height of the image in mm. */
  double heightMm() {
    return BOTTOM_MARGIN_MM + (count - 1) * pitchMm + DISC_HEIGHT_MM / 2 + TOP_BODY_MM + 5;
  }

  /** y (mm from the top) of disc i's centre. */
  double discY(int i) {
    return heightMm() - BOTTOM_MARGIN_MM - i * pitchMm - shifted.getOrDefault(i, 0.0);
  }

  LabelMap map() {
    int w = (int) Math.round(70 / spacing.colMm());
    int h = (int) Math.round(heightMm() / spacing.rowMm());
    byte[] labels = new byte[w * h];
    double bottom = discY(0) + DISC_HEIGHT_MM / 2;
    for (int y = 0; y < h; y++) {
      double ym = y * spacing.rowMm();
      for (int x = 0; x < w; x++) {
        labels[y * w + x] = (byte) value(x * spacing.colMm(), ym, bottom);
      }
    }
    return new LabelMap(w, h, labels, spacing, LabelMap.Scheme.SPIDER);
  }

  private int value(double xm, double ym, double bottom) {
    if (xm >= 52 && xm < 62 && ym >= 2 && ym < bottom) {
      return 150;
    }
    if (xm < 10 || xm >= 50 || ym < 2) {
      return 0;
    }
    double base = heightMm() - BOTTOM_MARGIN_MM;
    for (double[] s : specks) {
      double cy = base - s[0];
      if (Math.abs(ym - cy) <= s[1] / 2 && Math.abs(xm - 30) <= s[1] / 2) {
        return 29;
      }
    }
    for (double[] b : bridges) {
      int i = (int) b[0];
      if (xm >= 30 && xm < 30 + b[1] && ym <= discY(i) - DISC_HEIGHT_MM / 2 - 2
          && ym >= discY(i + 1) + DISC_HEIGHT_MM / 2 + 2) {
        return 29;
      }
    }
    for (int i = 0; i < count; i++) {
      if (!missing.contains(i) && Math.abs(ym - discY(i)) <= DISC_HEIGHT_MM / 2) {
        if (split.contains(i) && xm >= 27 && xm < 33) {
          return 0;
        }
        return lumbosacral.contains(i) ? 31 : 29;
      }
    }
    return ym < bottom ? 76 : 0;
  }
}
