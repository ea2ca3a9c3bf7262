package io.spoils.feature.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelSpacing;
import org.junit.jupiter.api.Test;

class MaskLogitsTest {

  private static final PixelSpacing SPACING = new PixelSpacing(0.5, 0.44);

  /** 200 x 160: a canal column, vertebrae, and discs at rows 40-49, 100-109 and a speck at 190. */
  private static LabelMap mask(boolean withLumbosacral) {
    int w = 160;
    int h = 200;
    byte[] labels = new byte[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v = x >= 120 && x < 135 ? 150 : x >= 40 && x < 110 ? 76 : 0;
        if (x >= 40 && x < 110 && ((y >= 40 && y < 50) || (y >= 100 && y < 110))) {
          v = withLumbosacral && y >= 100 ? SegmentationOutput.LUMBOSACRAL_DISC : 29;
        }
        if (x >= 60 && x < 62 && y >= 190 && y < 192) {
          v = 29;
        }
        labels[y * w + x] = (byte) v;
      }
    }
    return new LabelMap(w, h, labels, SPACING, LabelMap.Scheme.SPIDER);
  }

  @Test
  void of_roundTripThroughTheGateway_maskBackExceptNearBorders() {
    LabelMap mask = mask(true);
    FloatTensor logits = MaskLogits.of(mask, 8f);
    SegmentationGrid grid = SegmentationGrid.of(200, 160, SPACING);
    assertArrayEquals(grid.outputShape(), logits.shape());
    LabelMap back = SegmentationOutput.toSemanticMap(logits, 200, 160, SPACING);
    int same = 0;
    for (int p = 0; p < mask.labels().length; p++) {
      same += mask.labels()[p] == back.labels()[p] ? 1 : 0;
    }
    assertTrue(same > 0.95 * mask.labels().length, same + " of " + mask.labels().length);
    assertEquals(SegmentationOutput.LUMBOSACRAL_DISC, back.get(70, 105));
    assertEquals(29, back.get(70, 45));
  }

  @Test
  void of_coarserGrid_roundTripOnThatGrid() {
    LabelMap mask = mask(true);
    FloatTensor logits = MaskLogits.of(mask, 8f, 1.0);
    SegmentationGrid grid = SegmentationGrid.of(200, 160, SPACING, 1.0);
    assertArrayEquals(grid.outputShape(), logits.shape());
    LabelMap back = SegmentationOutput.toSemanticMap(logits, grid, SPACING);
    int same = 0;
    for (int p = 0; p < mask.labels().length; p++) {
      same += mask.labels()[p] == back.labels()[p] ? 1 : 0;
    }
    assertTrue(same > 0.93 * mask.labels().length, same + " of " + mask.labels().length);
    assertEquals(SegmentationOutput.LUMBOSACRAL_DISC, back.get(70, 105));
  }

  @Test
  void resampled_noLumbosacralInMask_lowestDiscPieceBecomesIt() {
    LabelMap back = SegmentationOutput.toSemanticMap(MaskLogits.of(mask(false), 8f), 200, 160,
        SPACING);
    assertEquals(SegmentationOutput.LUMBOSACRAL_DISC, back.get(70, 105));
    assertEquals(29, back.get(70, 45));
  }

  @Test
  void logits_smallerAndLargerTensor_cutOrBackground() {
    MaskLogits.Classes classes = MaskLogits.resampled(mask(true));
    FloatTensor small = MaskLogits.logits(classes, 64, 64, 1f);
    assertArrayEquals(new long[] {5, 64, 64}, small.shape());
    FloatTensor large = MaskLogits.logits(classes, 160, 128, 1f);
    assertEquals(1f, large.data()[159 * 128 + 127]);  // background at the far corner
  }

  @Test
  void resampled_notSpider_rejected() {
    byte[] labels = new byte[100 * 100];
    labels[0] = 7;
    assertThrows(IllegalArgumentException.class, () -> MaskLogits.resampled(
        new LabelMap(100, 100, labels, new PixelSpacing(1, 1), LabelMap.Scheme.SPIDER)));
    assertThrows(IllegalArgumentException.class, () -> MaskLogits.resampled(
        new LabelMap(100, 100, new byte[100 * 100], new PixelSpacing(1, 1), LabelMap.Scheme.ANATOMY14)));
  }
}
