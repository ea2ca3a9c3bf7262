package io.spoils.feature.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelSpacing;
import org.junit.jupiter.api.Test;

class SliceAnatomyTest {
  private final SyntheticSpine spine =
      new SyntheticSpine(0, new PixelSpacing(0.5, 0.5), false, true);

  @Test
  void of_syntheticSpine_fiveDiscPiecesAndTheCanal() {
    SliceAnatomy a = SliceAnatomy.of(spine.mask);
    assertEquals(SyntheticSpine.DISCS, a.discs().size());
    assertEquals(count(spine.mask, 150), a.canalPixels());
    assertEquals(count(spine.mask, 150) * 0.25, a.canalAreaMm2(), 1e-9);
    int discPixels = a.discs().stream().mapToInt(SliceAnatomy.DiscPiece::pixels).sum();
    assertEquals(count(spine.mask, 29), discPixels);
    // rectangles of 40 x 10 mm
    a.discs().forEach(d -> assertEquals(400, d.pixels() * 0.25, 12));
    assertEquals(SyntheticSpine.DISCS, a.discsAtLeast(MidSagittalSlice.MIN_DISC_MM2));
    assertEquals(0, a.discsAtLeast(1000));
  }

  @Test
  void shifted_partOfTheSlice_samePiecesAtTheWholeSlicesCentroids() {
    LabelMap mask = spine.mask;
    io.spoils.feature.image.PixelBox box = io.spoils.feature.image.PixelBox.around(mask, 2, 0)
        .orElseThrow();
    SliceAnatomy whole = SliceAnatomy.of(mask);
    SliceAnatomy part = SliceAnatomy.of(box.crop(mask)).shifted(box.x(), box.y());
    assertEquals(whole.canalPixels(), part.canalPixels());
    assertEquals(whole.discs().size(), part.discs().size());
    for (int i = 0; i < whole.discs().size(); i++) {
      assertEquals(whole.discs().get(i).centroidX(), part.discs().get(i).centroidX(), 1e-9);
      assertEquals(whole.discs().get(i).centroidY(), part.discs().get(i).centroidY(), 1e-9);
      assertEquals(whole.discs().get(i).pixels(), part.discs().get(i).pixels());
    }
    assertEquals(whole, whole.shifted(0, 0));
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
    assertEquals(count(spine.mask, 29), SliceAnatomy.of(map).discs().stream()
        .mapToInt(SliceAnatomy.DiscPiece::pixels).sum());
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
