package io.spoils.feature.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelSpacing;
import org.junit.jupiter.api.Test;

class SegmentationOutputTest {

  private static final PixelSpacing SPACING = new PixelSpacing(0.6, 0.4);

  /** Logits [4, 2, 2] where class {@code winner[p]} has logit 5 at pixel p and the others 0. */
  private static FloatTensor oneHot(int... winner) {
    float[] data = new float[4 * 4];
    for (int p = 0; p < 4; p++) {
      data[winner[p] * 4 + p] = 5f;
    }
    return FloatTensor.of(data, 4, 2, 2);
  }

  @Test
  void toSemanticMap_quadrantsUpsampled() {
    // pixel (0,0) disc, (0,1) vertebra, (1,0) canal, (1,1) background; 2 -> 4 per axis keeps each
    // quadrant because every output pixel is nearer its own source pixel
    LabelMap map = SegmentationOutput.toSemanticMap(oneHot(1, 2, 3, 0), 4, 4, SPACING);
    assertEquals(4, map.width());
    assertEquals(4, map.height());
    assertEquals(LabelMap.Scheme.SPIDER, map.scheme());
    assertEquals(SPACING, map.spacing());
    int[][] expected = {
        {29, 29, 76, 76},
        {29, 29, 76, 76},
        {150, 150, 0, 0},
        {150, 150, 0, 0}};
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        assertEquals(expected[y][x], map.get(x, y), "pixel " + x + "," + y);
      }
    }
  }

  @Test
  void toSemanticMap_tieGoesToLowerClass() {
    float[] data = new float[4];
    data[2] = 1f;
    data[3] = 1f;
    LabelMap map = SegmentationOutput.toSemanticMap(FloatTensor.of(data, 4, 1, 1), 3, 2, SPACING);
    for (int y = 0; y < 3; y++) {
      for (int x = 0; x < 2; x++) {
        assertEquals(76, map.get(x, y));
      }
    }
  }

  @Test
  void toSemanticMap_allEqualIsBackground() {
    LabelMap map = SegmentationOutput.toSemanticMap(FloatTensor.of(new float[16], 4, 2, 2), 5, 5, SPACING);
    assertEquals(0, map.get(2, 2));
  }

  @Test
  void toSemanticMap_rejectsBadLogits() {
    assertThrows(IllegalArgumentException.class,
        () -> SegmentationOutput.toSemanticMap(FloatTensor.of(new float[12], 3, 2, 2), 4, 4, SPACING));
    assertThrows(IllegalArgumentException.class,
        () -> SegmentationOutput.toSemanticMap(FloatTensor.of(new float[16], 1, 4, 2, 2), 4, 4, SPACING));
    float[] nan = new float[16];
    nan[5] = Float.NaN;
    assertThrows(IllegalArgumentException.class,
        () -> SegmentationOutput.toSemanticMap(FloatTensor.of(nan, 4, 2, 2), 4, 4, SPACING));
    assertThrows(IllegalArgumentException.class,
        () -> SegmentationOutput.toSemanticMap(FloatTensor.of(new float[16], 4, 2, 2), 0, 4, SPACING));
  }
}
