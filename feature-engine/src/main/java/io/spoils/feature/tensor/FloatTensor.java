package io.spoils.feature.tensor;

import io.spoils.feature.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A dense float32 tensor: {@code shape} gives the extent of each dimension, outermost first, and
 * {@code data} holds the values in row-major (C) order, so the last index varies fastest: element
 * {@code [i0, i1, ..., ik]} is at {@code ((i0 * shape[1] + i1) * shape[2] + ...) * shape[k] + ik}.
 * This is the layout of ONNX Runtime, PyTorch (contiguous) and KServe v2 raw tensor contents.
 *
 * <p>The shape is copied; the data array is owned by the record and not copied (tensors are large):
 * callers must not modify it after construction. Equality is by content ({@link #equals}).
 *
 * @param shape dimension sizes, each &gt;= 0; rank 0 (a scalar) has one element
 * @param data values, length = product of {@code shape}
 */
public record FloatTensor(long[] shape, float[] data) {

  public FloatTensor {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(data, "data");
    shape = shape.clone();
    long count = elementCount(shape);
    if (count != data.length) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + count
          + " values, got " + data.length);
    }
  }

  /** A tensor of the given shape over {@code data} (not copied). */
  public static FloatTensor of(float[] data, long... shape) {
    return new FloatTensor(shape, data);
  }

  /** A zero-filled tensor of the given shape. */
  public static FloatTensor zeros(long... shape) {
    long count = elementCount(shape);
    if (count > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("tensor too large: " + Arrays.toString(shape));
    }
    return new FloatTensor(shape, new float[(int) count]);
  }

  /**
   * Number of elements of a tensor of this shape.
   *
   * @throws IllegalArgumentException for a negative dimension or more than 2^31-1 elements
   */
  public static long elementCount(long[] shape) {
    long count = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      count = Math.multiplyExact(count, d);
      if (count > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " is too large");
      }
    }
    return count;
  }

  /** The shape (a copy). */
  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** Number of dimensions. */
  public int rank() {
    return shape.length;
  }

  /** Extent of dimension {@code axis}. */
  public long dim(int axis) {
    return shape[axis];
  }

  /** Whether this tensor's shape equals {@code expected}. */
  public boolean hasShape(long... expected) {
    return Arrays.equals(shape, expected);
  }

  /**
   * Item {@code index} along the leading (batch) dimension, as a tensor of rank - 1. The values are
   * copied, except for a batch of one, whose item shares this tensor's array (neither may be
   * modified, see the class doc; the segmentation logits are 1.3 MB per study).
   */
  public FloatTensor batchItem(int index) {
    if (shape.length == 0 || index < 0 || index >= shape[0]) {
      throw new IndexOutOfBoundsException("batch item " + index + " of shape " + Arrays.toString(shape));
    }
    long[] itemShape = Arrays.copyOfRange(shape, 1, shape.length);
    if (shape[0] == 1) {
      return new FloatTensor(itemShape, data);
    }
    int size = data.length / (int) shape[0];
    return new FloatTensor(itemShape, Arrays.copyOfRange(data, index * size, (index + 1) * size));
  }

  /**
   * Stacks equally shaped tensors along a new leading (batch) dimension: n tensors of shape S give
   * one of shape [n, S...]. A single item's array is shared, not copied (neither may be modified).
   */
  public static FloatTensor stack(List<FloatTensor> items) {
    if (items.isEmpty()) {
      throw new IllegalArgumentException("nothing to stack");
    }
    long[] itemShape = items.get(0).shape;
    int size = items.get(0).data.length;
    if (items.size() == 1) {
      return new FloatTensor(withBatch(1, itemShape), items.get(0).data);
    }
    float[] out = new float[Math.multiplyExact(size, items.size())];
    for (int i = 0; i < items.size(); i++) {
      FloatTensor t = items.get(i);
      if (!Arrays.equals(itemShape, t.shape)) {
        throw new IllegalArgumentException("cannot stack shape " + Arrays.toString(t.shape)
            + " with " + Arrays.toString(itemShape));
      }
      System.arraycopy(t.data, 0, out, i * size, size);
    }
    return new FloatTensor(withBatch(items.size(), itemShape), out);
  }

  private static long[] withBatch(int batch, long[] itemShape) {
    long[] shape = new long[itemShape.length + 1];
    shape[0] = batch;
    System.arraycopy(itemShape, 0, shape, 1, itemShape.length);
    return shape;
  }

  /** The values as little-endian IEEE 754 float32 bytes, row-major (KServe v2 raw contents). */
  public byte[] toLittleEndianBytes() {
    ByteBuffer buffer = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(data);
    return buffer.array();
  }

  /**
   * A tensor of {@code shape} from little-endian float32 bytes, as sent in KServe v2 raw contents.
   *
   * @throws InvalidInputException when the byte count does not match the shape
   */
  public static FloatTensor fromLittleEndianBytes(byte[] bytes, long... shape) {
    long count;
    try {
      count = elementCount(shape);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(e.getMessage());
    }
    if (bytes.length != count * Float.BYTES) {
      throw new InvalidInputException("tensor of shape " + Arrays.toString(shape) + " needs "
          + count * Float.BYTES + " bytes of FP32 data, got " + bytes.length);
    }
    float[] data = new float[(int) count];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
    return new FloatTensor(shape, data);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FloatTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "FloatTensor" + Arrays.toString(shape);
  }
}
