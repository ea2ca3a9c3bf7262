package io.spoils.feature.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelSpacing;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesMeasurerTest {
  private final SyntheticSpine spine =
      new SyntheticSpine(10, new PixelSpacing(0.3, 0.3), true, true);

  @Test
  void volume_threeSlicesSumAreas() {
    List<SpineGeometry> out = new SeriesMeasurer(SpineMeasurer.standard())
        .measure(List.of(spine.mask, spine.mask, spine.mask), null, 1.5);
    assertEquals(3, out.size());
    for (DiscGeometry d : out.get(1).discs()) {
      assertEquals(3 * 1.5 * d.areaMm2(), d.volumeMm3(), 1e-9, d.level().displayName());
    }
  }

  @Test
  void volume_singleSliceIsNaN() {
    List<SpineGeometry> out = new SeriesMeasurer(SpineMeasurer.standard())
        .measure(List.of(spine.mask), null, 1.0);
    assertTrue(Double.isNaN(out.get(0).discs().get(0).volumeMm3()));
  }

  @Test
  void volume_badSpacingRejected() {
    SeriesMeasurer series = new SeriesMeasurer(SpineMeasurer.standard());
    List<LabelMap> masks = List.of(spine.mask);
    assertThrows(InvalidInputException.class, () -> series.measure(masks, null, 0));
    assertThrows(InvalidInputException.class, () -> series.measure(List.of(), null, 1));
  }
}
