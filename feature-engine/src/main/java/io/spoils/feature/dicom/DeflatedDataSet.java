package io.spoils.feature.dicom;

import io.spoils.feature.InvalidInputException;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates the data set of a Deflated Explicit VR Little Endian file (PS3.5 A.5: raw deflate,
 * RFC 1951; a zlib-wrapped stream, which some writers produce, is accepted too) within the study's
 * {@link DecodeBudget}, so that the structure check and PixelMed see plain explicit VR little
 * endian data and PixelMed never inflates anything itself.
 *
 * <p>Two passes: the first inflates into a small scratch buffer only to count the bytes, stopping
 * as soon as the count passes what is left of the budget (a deflate bomb costs at most that much
 * CPU and no memory); the second inflates into an array of exactly the counted size. The budget's
 * stop check runs after every MiB of output in both passes. Input that ends before the deflate
 * stream does gives what was inflated (the structure check then names the truncation).
 */
final class DeflatedDataSet {
  private static final int SCRATCH = 64 * 1024;
  /** Output between two stop checks. */
  private static final long CHECK_EVERY = 1L << 20;
  /** Largest array the JVM reliably allocates. */
  private static final long MAX_ARRAY = Integer.MAX_VALUE - 16;

  private DeflatedDataSet() {}

  /**
   * The inflated data set of {@code file}, whose deflated data set starts at {@code dataSetOffset}
   * (after the meta information). The inflated size is claimed from {@code budget}.
   *
   * @return the inflated bytes, position 0
   * @throws InvalidInputException when the data is not a deflate stream or inflates past the budget
   */
  static ByteBuffer inflate(ByteBuffer file, int dataSetOffset, DecodeBudget budget) {
    ByteBuffer deflated = file.slice();
    deflated.position(dataSetOffset);
    deflated = deflated.slice();
    long allowed = Math.min(budget.inflatedBytesLeft(), MAX_ARRAY);
    boolean wrapped = false;
    long size;
    try {
      size = run(deflated, false, allowed, null, budget);
    } catch (DataFormatException raw) {
      wrapped = true;
      size = countWrapped(deflated, allowed, budget);
    }
    if (size < 0) {
      throw budget.inflatedTooLarge();
    }
    budget.claimInflated(size);
    byte[] out = new byte[(int) size];
    try {
      run(deflated, wrapped, size, out, budget);
    } catch (DataFormatException e) {
      throw new IllegalStateException("a deflate stream inflated differently twice", e);
    }
    return ByteBuffer.wrap(out);
  }

  private static long countWrapped(ByteBuffer deflated, long allowed, DecodeBudget budget) {
    try {
      return run(deflated, true, allowed, null, budget);
    } catch (DataFormatException e) {
      throw new InvalidInputException("corrupt deflated data set: the data after the file meta "
          + "information is not a deflate stream");
    }
  }

  /**
   * Inflates {@code deflated} (not moved) into {@code out}, or only counts when {@code out} is
   * null; stops at the end of the stream or of the input.
   *
   * @return the inflated size, or -1 as soon as it would pass {@code allowed}
   */
  private static long run(ByteBuffer deflated, boolean wrapped, long allowed, byte[] out,
      DecodeBudget budget) throws DataFormatException {
    Inflater inflater = new Inflater(!wrapped);
    try {
      inflater.setInput(deflated.duplicate());
      byte[] scratch = out == null ? new byte[SCRATCH] : null;
      long total = 0;
      long nextCheck = CHECK_EVERY;
      int remaining = inflater.getRemaining();
      while (!inflater.finished()) {
        int n = out == null ? inflater.inflate(scratch)
            : inflater.inflate(out, (int) total, (int) Math.min(SCRATCH, out.length - total));
        if (n == 0) {
          if (inflater.needsDictionary()) {
            throw new DataFormatException("preset dictionary");
          }
          boolean stuck = inflater.getRemaining() == remaining;
          if (inflater.needsInput() || out != null && total == out.length || stuck) {
            break;
          }
        }
        remaining = inflater.getRemaining();
        total += n;
        if (total > allowed) {
          return -1;
        }
        if (total >= nextCheck) {
          budget.checkStop();
          nextCheck += CHECK_EVERY;
        }
      }
      return total;
    } finally {
      inflater.end();
    }
  }
}
