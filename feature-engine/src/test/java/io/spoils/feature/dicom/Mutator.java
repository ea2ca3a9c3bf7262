package io.spoils.feature.dicom;

import java.util.Arrays;
import java.util.Random;

/**
 * Seeded byte-level mutations of a DICOM file for {@link DecoderFuzzTest}: one to four of bit
 * flips, boundary bytes, boundary 16- and 32-bit values (lengths, Rows, Columns, frames),
 * truncation, and deleted or duplicated chunks. Most land in the first 4 KiB after {@code from}
 * (meta information and header elements, where the structure is), the rest anywhere. Not
 * thread-safe; test-only.
 */
final class Mutator {
  private static final int HEADER = 4096;
  private static final int[] BYTES = {0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF};
  private static final int[] SHORTS = {0, 1, 0x7FFF, 0x8000, 0xFFFF, 16384, 16385, 8, 32};
  private static final long[] INTS = {0, 1, 0xFFFFFFFFL, 0x7FFFFFFFL, 0x80000000L, 0xFFFFFFFEL,
      0x40000000L, 1024};

  private final Random random;

  Mutator(Random random) {
    this.random = random;
  }

  /** A mutant of {@code file}; bytes before {@code from} (preamble) are rarely touched. */
  byte[] mutate(byte[] file, int from) {
    byte[] b = file;
    int ops = 1 + random.nextInt(4);
    for (int k = 0; k < ops && b.length > from + 8; k++) {
      b = once(b, from);
    }
    return b;
  }

  private byte[] once(byte[] in, int from) {
    int op = random.nextInt(8);
    byte[] b = op < 5 ? in.clone() : in;
    int at = random.nextInt(10) < 8 ? from + random.nextInt(Math.min(HEADER, b.length - from))
        : random.nextInt(b.length);
    switch (op) {
      case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
      case 1 -> b[at] = (byte) BYTES[random.nextInt(BYTES.length)];
      case 2 -> put(b, at, SHORTS[random.nextInt(SHORTS.length)], 2);
      case 3 -> put(b, at, INTS[random.nextInt(INTS.length)], 4);
      case 4 -> b[at] = (byte) random.nextInt(256);
      case 5 -> b = Arrays.copyOf(b, Math.max(1, at));
      case 6 -> b = delete(b, at, 1 + random.nextInt(64));
      default -> b = duplicate(b, at, 1 + random.nextInt(64));
    }
    return b;
  }

  /** {@code v}'s low {@code size} bytes at {@code at}, in either byte order. */
  private void put(byte[] b, int at, long v, int size) {
    boolean little = random.nextBoolean();
    for (int i = 0; i < size && at + i < b.length; i++) {
      int shift = 8 * (little ? i : size - 1 - i);
      b[at + i] = (byte) (v >>> shift);
    }
  }

  private static byte[] delete(byte[] b, int at, int n) {
    int end = Math.min(b.length, at + n);
    byte[] out = new byte[b.length - (end - at)];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(b, end, out, at, b.length - end);
    return out;
  }

  private static byte[] duplicate(byte[] b, int at, int n) {
    int end = Math.min(b.length, at + n);
    byte[] out = new byte[b.length + (end - at)];
    System.arraycopy(b, 0, out, 0, end);
    System.arraycopy(b, at, out, end, b.length - at);
    return out;
  }
}
