package io.spoils.feature.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelSpacing;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiscVolumesTest {
  private static final double SPACING_MM = 1.5;
  private final SyntheticSpine spine =
      new SyntheticSpine(8, new PixelSpacing(0.4, 0.4), false, true);
  private final List<DiscGeometry> discs = SpineMeasurer.standard().measure(spine.mask, null)
      .discs();

  @Test
  void of_threeEqualSlices_isThreePrisms() {
    SliceAnatomy a = SliceAnatomy.of(spine.mask);
    List<DiscVolumes.Volume> v = DiscVolumes.of(discs, List.of(a, a, a), 1, SPACING_MM);
    assertEquals(SyntheticSpine.DISCS, v.size());
    for (int i = 0; i < v.size(); i++) {
      // each rectangle is 40 x 10 mm = 400 mm²
      assertEquals(3 * 400 * SPACING_MM, v.get(i).volumeMm3(), 3 * 400 * SPACING_MM * 0.03,
          "disc " + i);
      assertEquals(3, v.get(i).slices());
    }
  }

  @Test
  void of_shiftedNeighbourSlice_stillMatchesItsDiscs() {
    SliceAnatomy a = SliceAnatomy.of(spine.mask);
    SliceAnatomy shifted = SliceAnatomy.of(shift(spine.mask, 6, -4));
    List<DiscVolumes.Volume> v = DiscVolumes.of(discs, List.of(shifted, a), 1, SPACING_MM);
    for (DiscVolumes.Volume volume : v) {
      assertEquals(2, volume.slices());
    }
  }

  @Test
  void of_gapInTheSeries_stopsTheSum() {
    SliceAnatomy a = SliceAnatomy.of(spine.mask);
    SliceAnatomy empty = SliceAnatomy.of(new LabelMap(spine.mask.width(), spine.mask.height(),
        new byte[spine.mask.labels().length], spine.mask.spacing(), LabelMap.Scheme.SPIDER));
    // a disc-like blob beyond an empty slice is not the same disc
    List<DiscVolumes.Volume> v = DiscVolumes.of(discs, List.of(a, empty, a, a), 2, SPACING_MM);
    double one = v.get(0).volumeMm3() / 2;
    for (DiscVolumes.Volume volume : v) {
      assertEquals(2, volume.slices());
    }
    assertTrue(one > 0);
    // the chosen slice without the disc: no volume
    List<DiscVolumes.Volume> none = DiscVolumes.of(discs, List.of(a, empty), 1, SPACING_MM);
    assertTrue(Double.isNaN(none.get(0).volumeMm3()));
    assertEquals(0, none.get(0).slices());
  }

  @Test
  void of_badSpacing_rejected() {
    SliceAnatomy a = SliceAnatomy.of(spine.mask);
    assertThrows(InvalidInputException.class, () -> DiscVolumes.of(discs, List.of(a), 0, 0));
    assertThrows(InvalidInputException.class,
        () -> DiscVolumes.of(discs, List.of(a), 0, Double.NaN));
  }

  @Test
  void withVolume_keepsEveryOtherMeasurement() {
    DiscGeometry d = discs.get(0);
    DiscGeometry v = DiscVolumes.withVolume(d, 123.0);
    assertEquals(123.0, v.volumeMm3());
    assertEquals(DiscVolumes.withVolume(v, d.volumeMm3()), d);
  }

  /** {@code map} moved {@code dx} columns and {@code dy} rows (background where it came from). */
  private static LabelMap shift(LabelMap map, int dx, int dy) {
    byte[] out = new byte[map.labels().length];
    for (int y = 0; y < map.height(); y++) {
      for (int x = 0; x < map.width(); x++) {
        int sx = x - dx;
        int sy = y - dy;
        if (sx >= 0 && sy >= 0 && sx < map.width() && sy < map.height()) {
          out[y * map.width() + x] = map.labels()[sy * map.width() + sx];
        }
      }
    }
    return new LabelMap(map.width(), map.height(), out, map.spacing(), map.scheme());
  }
}
