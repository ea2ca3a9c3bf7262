package io.spoils.feature.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.image.PixelSpacing;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MidSagittalSliceTest {
  private static final PixelSpacing MM = new PixelSpacing(1, 1);

  /** A slice with {@code canal} mm² of canal and {@code discs} discs of 300 mm². */
  private static SliceAnatomy slice(int canal, int discs) {
    List<SliceAnatomy.DiscPiece> pieces = new ArrayList<>();
    for (int i = 0; i < discs; i++) {
      pieces.add(new SliceAnatomy.DiscPiece(50, 40 * i, 300));
    }
    return new SliceAnatomy(canal, pieces, MM);
  }

  @Test
  void choose_largestCanalOffCentre_winsOverTheGeometricCentre() {
    List<SliceAnatomy> s = List.of(slice(600, 5), slice(1000, 5), slice(900, 5), slice(700, 5),
        slice(500, 5), slice(300, 5), slice(100, 5));
    MidSagittalSlice c = MidSagittalSlice.choose(s, 3);
    assertEquals(1, c.index());
    assertEquals(1000, c.score(), 1e-9);
    assertEquals(3, c.geometricCentre());
    assertEquals(List.of(600.0, 1000.0, 900.0, 700.0, 500.0, 300.0, 100.0), c.scores());
    assertTrue(c.reason().contains("largest spinal canal area"), c.reason());
    assertTrue(c.reason().contains("the geometric centre, slice 3, scores 700 mm²"), c.reason());
  }

  @Test
  void choose_nearTie_goesToTheGeometricCentre() {
    List<SliceAnatomy> s = List.of(slice(1000, 5), slice(960, 5), slice(970, 5));
    MidSagittalSlice c = MidSagittalSlice.choose(s, 2);
    assertEquals(2, c.index());
    assertTrue(c.reason().contains("within 5 %"), c.reason());
    assertTrue(c.reason().endsWith("at the geometric centre"), c.reason());
  }

  @Test
  void choose_fewerDiscs_lowersTheScore() {
    // the widest canal cuts two of five discs off: 1000 x 3/5 = 600 < 800
    List<SliceAnatomy> s = List.of(slice(1000, 3), slice(800, 5), slice(400, 5));
    MidSagittalSlice c = MidSagittalSlice.choose(s, 2);
    assertEquals(1, c.index());
    assertEquals(600, c.scores().get(0), 1e-9);
  }

  @Test
  void choose_smallDiscFragments_doNotCount() {
    SliceAnatomy fragments = new SliceAnatomy(1000, List.of(
        new SliceAnatomy.DiscPiece(1, 1, 5), new SliceAnatomy.DiscPiece(9, 9, 5)), MM);
    MidSagittalSlice c = MidSagittalSlice.choose(List.of(fragments, slice(500, 2)), 0);
    assertEquals(1, c.index());
    assertEquals(0, c.scores().get(0), 1e-9);
  }

  @Test
  void choose_noCanalAnywhere_keepsTheGeometricCentre() {
    MidSagittalSlice c = MidSagittalSlice.choose(List.of(slice(0, 5), slice(0, 5), slice(0, 4)),
        1);
    assertEquals(1, c.index());
    assertTrue(c.reason().contains("geometric centre"), c.reason());
  }

  @Test
  void choose_oneSlice_isThatSlice() {
    MidSagittalSlice c = MidSagittalSlice.choose(List.of(slice(10, 1)), 0);
    assertEquals(0, c.index());
    assertEquals("the series has one slice", c.reason());
    assertThrows(IllegalArgumentException.class, () -> MidSagittalSlice.choose(List.of(), 0));
  }
}
