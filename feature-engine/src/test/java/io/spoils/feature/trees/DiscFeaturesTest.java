package io.spoils.feature.trees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.anatomy.DiscLevel;
import io.spoils.feature.geometry.DiscGeometry;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiscFeaturesTest {
  private static final DiscGeometry DISC = new DiscGeometry(DiscLevel.L4_L5, 1, 250, 300, -8.5,
      9, 10, 7, 8, 32, 33, 260, 0.35, 140, 0.6, 1.4, -0.05, 13.5, Double.NaN);

  @Test
  void names_uniqueAndCounted() {
    assertEquals(DiscFeatures.COUNT, DiscFeatures.NAMES.size());
    assertEquals(DiscFeatures.COUNT, new HashSet<>(DiscFeatures.NAMES).size());
  }

  @Test
  void of_mapsNamedFields() {
    float[] row = DiscFeatures.of(DISC);
    assertEquals(10f, row[DiscFeatures.NAMES.indexOf("central_height_mm")]);
    assertEquals(0.35f, row[DiscFeatures.NAMES.indexOf("height_index")]);
    assertEquals(0.25f, row[DiscFeatures.NAMES.indexOf("height_to_width")]);
    assertEquals(7f / 9f, row[DiscFeatures.NAMES.indexOf("posterior_to_anterior_height")], 1e-6);
    assertEquals(13.5f, row[DiscFeatures.NAMES.indexOf("canal_ap_diameter_mm")]);
    assertEquals(-8.5f, row[DiscFeatures.NAMES.indexOf("tilt_deg")]);
    assertEquals(1f, row[DiscFeatures.NAMES.indexOf("level_index_from_bottom")]);
  }

  @Test
  void of_nanAndZeroDivisionBecomeMissing() {
    DiscGeometry flat = new DiscGeometry(DiscLevel.L5_S1, 0, 1, 1, 0, 0, Double.NaN, 3, 5, 0,
        Double.NaN, 1, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
        Double.NaN);
    float[] row = DiscFeatures.of(flat);
    assertTrue(Float.isNaN(row[DiscFeatures.NAMES.indexOf("central_height_mm")]));
    assertTrue(Float.isNaN(row[DiscFeatures.NAMES.indexOf("height_to_width")]));
    assertTrue(Float.isNaN(row[DiscFeatures.NAMES.indexOf("posterior_to_anterior_height")]));
    assertTrue(Float.isNaN(row[DiscFeatures.NAMES.indexOf("signal_ratio_to_csf")]));
    assertEquals(0f, row[DiscFeatures.NAMES.indexOf("level_index_from_bottom")]);
  }

  @Test
  void matrix_rowMajor() {
    float[] m = DiscFeatures.matrix(List.of(DISC, DISC));
    assertEquals(2 * DiscFeatures.COUNT, m.length);
    assertEquals(m[3], m[DiscFeatures.COUNT + 3]);
  }

  @Test
  void of_nullDisc() {
    assertThrows(InvalidInputException.class, () -> DiscFeatures.of(null));
  }
}
