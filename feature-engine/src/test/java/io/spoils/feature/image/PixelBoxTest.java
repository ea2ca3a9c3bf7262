package io.spoils.feature.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PixelBoxTest {

  /** 100 x 80 map of 0.5 x 0.25 mm pixels (rows x columns) with labels in columns 40-49, rows 30-59. */
  private static LabelMap map() {
    byte[] labels = new byte[100 * 80];
    for (int y = 30; y < 60; y++) {
      for (int x = 40; x < 50; x++) {
        labels[y * 100 + x] = 29;
      }
    }
    return new LabelMap(100, 80, labels, new PixelSpacing(0.5, 0.25), LabelMap.Scheme.SPIDER);
  }

  @Test
  void around_marginInMm_grownPerAxisByItsSpacing() {
    PixelBox box = PixelBox.around(map(), 2.0, 0).orElseThrow();
    // 2 mm: 8 columns of 0.25 mm, 4 rows of 0.5 mm
    assertEquals(new PixelBox(32, 26, 26, 38), box);
  }

  @Test
  void around_smallerThanMinimum_grownAboutItsCentreAndClipped() {
    PixelBox box = PixelBox.around(map(), 0, 30.0).orElseThrow();
    // 30 mm = 120 columns (more than the 100 there are) and 60 rows about rows 30-59
    assertEquals(0, box.x());
    assertEquals(100, box.width());
    assertEquals(15, box.y());
    assertEquals(60, box.height(), box.toString());
  }

  @Test
  void fitted_growsToWholeMultiplesOfTheGrid_shiftedInsideTheImage() {
    // 1000 x 800 image of 0.5 mm pixels; a 0.8 mm grid in steps of 32 pixels (25.6 mm = 51.2 px)
    PixelSpacing half = new PixelSpacing(0.5, 0.5);
    PixelBox box = new PixelBox(10, 760, 100, 40).fitted(1000, 800, half, 0.8, 32);
    // 100 px = 62.5 grid pixels -> 64 -> 102 px, one more on each side; 40 px = 25 -> 32 -> 51 px,
    // which would end at row 806: moved up to end at the bottom edge
    assertEquals(102, box.width());
    assertEquals(9, box.x());
    assertEquals(51, box.height());
    assertEquals(749, box.y());
    assertEquals(64, Math.floor(box.width() * 0.5 / 0.8 + 0.5));
    // a side that cannot grow enough keeps the image's extent
    PixelBox tall = new PixelBox(0, 0, 50, 790).fitted(1000, 800, half, 0.8, 32);
    assertEquals(800, tall.height());
    assertEquals(0, tall.y());
  }

  @Test
  void around_noLabel_empty() {
    LabelMap empty = new LabelMap(10, 10, new byte[100], new PixelSpacing(1, 1),
        LabelMap.Scheme.SPIDER);
    assertEquals(Optional.empty(), PixelBox.around(empty, 5, 5));
  }

  @Test
  void crop_labelMap_labelsOfTheBoxInPlace() {
    LabelMap map = map();
    PixelBox box = new PixelBox(35, 20, 30, 50);
    LabelMap part = box.crop(map);
    assertEquals(30, part.width());
    assertEquals(50, part.height());
    for (int y = 0; y < part.height(); y++) {
      for (int x = 0; x < part.width(); x++) {
        assertEquals(map.get(x + 35, y + 20), part.get(x, y));
      }
    }
  }

  @Test
  void crop_greyImage_pixelsOfTheBox() {
    float[] px = new float[6 * 4];
    for (int i = 0; i < px.length; i++) {
      px[i] = i;
    }
    GreyImage image = new GreyImage(6, 4, px, new PixelSpacing(1, 1));
    GreyImage part = new PixelBox(2, 1, 3, 2).crop(image);
    assertArrayEquals(new float[] {8, 9, 10, 14, 15, 16}, part.pixels());
  }

  @Test
  void crop_outsideTheImage_rejected() {
    assertThrows(IllegalArgumentException.class, () -> new PixelBox(90, 0, 20, 10).crop(map()));
    assertThrows(IllegalArgumentException.class, () -> new PixelBox(-1, 0, 2, 2));
    assertEquals(new PixelBox(0, 0, 100, 80), PixelBox.whole(100, 80));
  }
}
