package io.spoils.feature.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelBox;
import io.spoils.feature.image.PixelSpacing;
import org.junit.jupiter.api.Test;

class SliceAnatomyTest {
  private final SyntheticSpine spine =
      new SyntheticSpine(0, new PixelSpacing(0.5, 0.5), false, true);

  @Test
  void of_syntheticSpine_fiveDiscPiecesAndTheCanal() {
    SliceAnatomy a = SliceAnatomy.of(spine.mask);
    assertEquals(SyntheticSpine.DISCS, a.discs().size());
    assertEquals(count(spine.mask, 150) * 0.25, a.canalAreaMm2(), 1e-9);
    double discArea = a.discs().stream().mapToDouble(SliceAnatomy.DiscPiece::areaMm2).sum();
    assertEquals(count(spine.mask, 29) * 0.25, discArea, 1e-9);
    // rectangles of 40 x 10 mm
    a.discs().forEach(d -> assertEquals(400, d.areaMm2(), 12));
    assertEquals(SyntheticSpine.DISCS, a.discsAtLeast(MidSagittalSlice.MIN_DISC_MM2));
    assertEquals(0, a.discsAtLeast(1000));
  }

  @Test
  void resampled_partOfTheSliceAtItsPixels_samePiecesAtTheWholeSlicesCentroids() {
    LabelMap mask = spine.mask;
    PixelBox box = PixelBox.around(mask, 2, 0).orElseThrow();
    SliceAnatomy whole = SliceAnatomy.of(mask);
    SliceAnatomy part = SliceAnatomy.of(box.crop(mask)).resampled(1, 1, box.x(), box.y(),
        mask.spacing());
    assertEquals(whole.canalAreaMm2(), part.canalAreaMm2());
    assertEquals(whole.discs().size(), part.discs().size());
    for (int i = 0; i < whole.discs().size(); i++) {
      assertEquals(whole.discs().get(i).centroidX(), part.discs().get(i).centroidX(), 1e-9);
      assertEquals(whole.discs().get(i).centroidY(), part.discs().get(i).centroidY(), 1e-9);
      assertEquals(whole.discs().get(i).areaMm2(), part.discs().get(i).areaMm2());
    }
    assertEquals(whole, whole.resampled(1, 1, 0, 0, mask.spacing()));
  }

  @Test
  void resampled_coarserGridOfAPart_piecesAtTheWholeSlicesCentroidsWithTheirAreas() {
    LabelMap mask = spine.mask;
    PixelBox box = PixelBox.around(mask, 2, 0).orElseThrow();
    SliceAnatomy whole = SliceAnatomy.of(mask);
    LabelMap part = box.crop(mask);
    // the part on a grid of pixels 2 x 3 times as large (a coarser model grid), each of its
    // pixels the label at its centre
    int w = part.width() / 3;
    int h = part.height() / 2;
    byte[] coarse = new byte[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        coarse[y * w + x] = part.labels()[(2 * y + 1) * part.width() + 3 * x + 1];
      }
    }
    PixelSpacing grid = new PixelSpacing(1.0, 1.5);
    LabelMap coarseMap = new LabelMap(w, h, coarse, grid, LabelMap.Scheme.SPIDER);
    SliceAnatomy read = SliceAnatomy.of(coarseMap);
    // ofPart derives the scales from the part's and the map's sizes
    assertEquals(read.resampled((double) box.width() / w, (double) box.height() / h, box.x(),
        box.y(), mask.spacing()), SliceAnatomy.ofPart(coarseMap, box, mask.spacing()));
    SliceAnatomy moved = read.resampled(3, 2, box.x(), box.y(), mask.spacing());
    assertEquals(mask.spacing(), moved.spacing());
    assertEquals(read.canalAreaMm2(), moved.canalAreaMm2());
    assertEquals(whole.canalAreaMm2(), moved.canalAreaMm2(), whole.canalAreaMm2() * 0.05);
    assertEquals(whole.discs().size(), moved.discs().size());
    for (int i = 0; i < whole.discs().size(); i++) {
      // within a coarse pixel's half width of the whole slice's centroid, in its pixels
      assertEquals(whole.discs().get(i).centroidX(), moved.discs().get(i).centroidX(), 1.5);
      assertEquals(whole.discs().get(i).centroidY(), moved.discs().get(i).centroidY(), 1.0);
      assertEquals(whole.discs().get(i).areaMm2(), moved.discs().get(i).areaMm2(),
          whole.discs().get(i).areaMm2() * 0.06);
    }
  }

  @Test
  void of_lumbosacralDiscValue_countsAsDisc() {
    byte[] labels = spine.mask.labels().clone();
    int lowest = -1;
    for (int p = labels.length - 1; p >= 0 && lowest < 0; p--) {
      lowest = (labels[p] & 0xFF) == 29 ? p : -1;
    }
    labels[lowest] = 31;
    LabelMap map = new LabelMap(spine.mask.width(), spine.mask.height(), labels,
        spine.mask.spacing(), LabelMap.Scheme.SPIDER);
    assertEquals(count(spine.mask, 29) * 0.25, SliceAnatomy.of(map).discs().stream()
        .mapToDouble(SliceAnatomy.DiscPiece::areaMm2).sum(), 1e-9);
  }

  @Test
  void of_anatomy14Map_rejected() {
    LabelMap map = new LabelMap(2, 2, new byte[4], spine.mask.spacing(),
        LabelMap.Scheme.ANATOMY14);
    assertThrows(IllegalArgumentException.class, () -> SliceAnatomy.of(map));
  }

  static int count(LabelMap map, int value) {
    int n = 0;
    for (byte b : map.labels()) {
      n += (b & 0xFF) == value ? 1 : 0;
    }
    return n;
  }
}
