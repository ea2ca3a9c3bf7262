package io.spoils.feature.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class FloatTensorTest {

  @Test
  void constructor_shapeAndDataMismatch() {
    assertThrows(IllegalArgumentException.class, () -> FloatTensor.of(new float[5], 2, 3));
    assertThrows(IllegalArgumentException.class, () -> FloatTensor.of(new float[0], -1, 0));
  }

  @Test
  void constructor_scalarAndEmpty() {
    assertEquals(0, FloatTensor.of(new float[] {3f}).rank());
    assertEquals(0, FloatTensor.of(new float[0], 4, 0, 2).data().length);
  }

  @Test
  void shape_isCopied() {
    long[] shape = {2, 2};
    FloatTensor t = FloatTensor.of(new float[4], shape);
    shape[0] = 7;
    t.shape()[1] = 9;
    assertArrayEquals(new long[] {2, 2}, t.shape());
  }

  @Test
  void littleEndianBytes_roundTrip() {
    FloatTensor t = FloatTensor.of(new float[] {1f, -2.5f, Float.MIN_VALUE, 1e30f, 0f, -0f}, 2, 3);
    byte[] bytes = t.toLittleEndianBytes();
    assertEquals(24, bytes.length);
    assertEquals(t, FloatTensor.fromLittleEndianBytes(bytes, 2, 3));
  }

  @Test
  void littleEndianBytes_byteOrder() {
    // 1.0f is 0x3F800000: little-endian puts the low byte first
    byte[] bytes = FloatTensor.of(new float[] {1f}, 1).toLittleEndianBytes();
    assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3F}, bytes);
  }

  @Test
  void fromLittleEndianBytes_wrongLength() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> FloatTensor.fromLittleEndianBytes(new byte[10], 1, 3));
    assertTrue(e.getMessage().contains("12 bytes"), e.getMessage());
    assertThrows(InvalidInputException.class, () -> FloatTensor.fromLittleEndianBytes(new byte[0], -1));
  }

  @Test
  void stack_andBatchItem() {
    FloatTensor a = FloatTensor.of(new float[] {1, 2, 3}, 1, 3);
    FloatTensor b = FloatTensor.of(new float[] {4, 5, 6}, 1, 3);
    FloatTensor batch = FloatTensor.stack(List.of(a, b));
    assertArrayEquals(new long[] {2, 1, 3}, batch.shape());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, batch.data());
    assertEquals(b, batch.batchItem(1));
    assertThrows(IndexOutOfBoundsException.class, () -> batch.batchItem(2));
  }

  @Test
  void stackAndBatchItem_batchOfOne_sharesTheArray() {
    float[] data = {1, 2, 3};
    FloatTensor one = FloatTensor.stack(List.of(FloatTensor.of(data, 1, 3)));
    assertArrayEquals(new long[] {1, 1, 3}, one.shape());
    assertSame(data, one.data());
    FloatTensor item = one.batchItem(0);
    assertArrayEquals(new long[] {1, 3}, item.shape());
    assertSame(data, item.data());
  }

  @Test
  void stack_differentShapes() {
    FloatTensor a = FloatTensor.of(new float[3], 1, 3);
    FloatTensor b = FloatTensor.of(new float[3], 3, 1);
    assertThrows(IllegalArgumentException.class, () -> FloatTensor.stack(List.of(a, b)));
    assertThrows(IllegalArgumentException.class, () -> FloatTensor.stack(List.of()));
  }

  @Test
  void equals_byContent() {
    assertEquals(FloatTensor.of(new float[] {1, 2}, 2), FloatTensor.of(new float[] {1, 2}, 2));
    assertNotEquals(FloatTensor.of(new float[] {1, 2}, 2), FloatTensor.of(new float[] {1, 2}, 1, 2));
    assertEquals(FloatTensor.of(new float[] {1, 2}, 2).hashCode(),
        FloatTensor.of(new float[] {1, 2}, 2).hashCode());
  }
}
