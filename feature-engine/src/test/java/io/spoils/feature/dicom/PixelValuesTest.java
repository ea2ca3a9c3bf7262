package io.spoils.feature.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spoils.feature.InvalidInputException;
import org.junit.jupiter.api.Test;

class PixelValuesTest {
  @Test
  void toFloat_signed12BitSignExtended() {
    PixelValues.Layout l = new PixelValues.Layout(16, 12, 11, true, 1, 0, false);
    // 0xFFF is -1 in 12-bit two's complement; high garbage bits above bit 11 are ignored.
    float[] v = PixelValues.toFloat(new int[] {0x0FFF, 0xF800, 0x07FF, 0xA005}, 4, l);
    assertArrayEquals(new float[] {-1, -2048, 2047, 5}, v);
  }

  @Test
  void toFloat_monochrome1MirroredInStoredRange() {
    PixelValues.Layout l = new PixelValues.Layout(16, 12, 11, false, 2, 10, true);
    float[] v = PixelValues.toFloat(new int[] {0, 4095, 1000}, 3, l);
    assertArrayEquals(new float[] {4095 * 2 + 10, 10, 3095 * 2 + 10}, v);
  }

  @Test
  void toFloat_highBitShift() {
    // 8 bits stored in the upper byte of a 16-bit sample (High Bit 15).
    PixelValues.Layout l = new PixelValues.Layout(16, 8, 15, false, 1, 0, false);
    assertArrayEquals(new float[] {0xAB}, PixelValues.toFloat(new int[] {0xAB12}, 1, l));
  }

  @Test
  void table_everySample_equalsToFloat() {
    PixelValues.Layout[] layouts = {new PixelValues.Layout(16, 12, 11, true, 1.5, -3, false),
        new PixelValues.Layout(16, 12, 11, false, 2, 10, true),
        new PixelValues.Layout(8, 7, 7, false, 0.25, 1, false)};
    for (PixelValues.Layout l : layouts) {
      int[] raw = new int[1 << l.bitsAllocated()];
      for (int i = 0; i < raw.length; i++) {
        raw[i] = i;
      }
      assertArrayEquals(PixelValues.toFloat(raw, raw.length, l), PixelValues.table(l));
    }
  }

  @Test
  void layout_rejectsUnsupported() {
    assertThrows(InvalidInputException.class, () -> new PixelValues.Layout(32, 32, 31, false, 1, 0, false));
    assertThrows(InvalidInputException.class, () -> new PixelValues.Layout(16, 17, 16, false, 1, 0, false));
    assertThrows(InvalidInputException.class, () -> new PixelValues.Layout(16, 16, 15, false, 0, 0, false));
  }
}
