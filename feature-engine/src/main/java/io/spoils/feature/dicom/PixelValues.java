package io.spoils.feature.dicom;

import io.spoils.feature.InvalidInputException;

/**
 * Turns stored pixel samples (one frame, row-major) into float32 modality values: extracts Bits
 * Stored bits at High Bit, sign-extends when Pixel Representation is 1, applies Rescale Slope and
 * Intercept, and inverts MONOCHROME1 so that higher values are always brighter.
 *
 * <p>MONOCHROME1 inversion mirrors each stored value within the stored range:
 * {@code stored' = minStored + maxStored - stored} (e.g. 0..4095 for 12 unsigned bits), then rescales.
 * Values stay in the file's units and range instead of turning negative.
 */
final class PixelValues {
  private PixelValues() {}

  /** Layout and value transform of the stored samples. */
  record Layout(int bitsAllocated, int bitsStored, int highBit, boolean signed, double slope,
      double intercept, boolean monochrome1) {
    Layout {
      if (bitsAllocated != 8 && bitsAllocated != 16) {
        throw new InvalidInputException("unsupported Bits Allocated " + bitsAllocated
            + " (expected 8 or 16 for a greyscale MR image)");
      }
      if (bitsStored < 1 || bitsStored > bitsAllocated || highBit < bitsStored - 1
          || highBit >= bitsAllocated) {
        throw new InvalidInputException("inconsistent Bits Stored " + bitsStored + " / High Bit "
            + highBit + " for Bits Allocated " + bitsAllocated);
      }
      if (!Double.isFinite(slope) || slope == 0 || !Double.isFinite(intercept)) {
        throw new InvalidInputException("invalid Rescale Slope/Intercept");
      }
    }

    long minStored() {
      return signed ? -(1L << (bitsStored - 1)) : 0;
    }

    long maxStored() {
      return signed ? (1L << (bitsStored - 1)) - 1 : (1L << bitsStored) - 1;
    }
  }

  /**
   * Converts {@code count} samples, each the low {@code bitsAllocated} bits of {@code raw[i]}.
   *
   * @param raw allocated-width samples as unsigned ints, at least {@code count} of them
   */
  static float[] toFloat(int[] raw, int count, Layout layout) {
    return convert(raw, count, layout);
  }

  /**
   * The value of every allocated-width sample, {@code table[raw]} for {@code raw} in
   * {@code 0 .. 2^bitsAllocated - 1}: the same arithmetic as {@link #toFloat}, done once per
   * possible sample instead of once per pixel. The last table is reused for the same layout
   * (immutable, so it may be shared between threads).
   */
  static float[] table(Layout layout) {
    Table last = lastTable;
    if (last != null && last.layout().equals(layout)) {
      return last.values();
    }
    int[] all = new int[1 << layout.bitsAllocated()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    float[] values = convert(all, all.length, layout);
    lastTable = new Table(layout, values);
    return values;
  }

  private record Table(Layout layout, float[] values) { }

  private static volatile Table lastTable;

  private static float[] convert(int[] raw, int count, Layout layout) {
    int shift = layout.highBit() - layout.bitsStored() + 1;
    int mask = (int) ((1L << layout.bitsStored()) - 1);
    int signBit = 1 << (layout.bitsStored() - 1);
    long mirror = layout.minStored() + layout.maxStored();
    float[] out = new float[count];
    for (int i = 0; i < count; i++) {
      long v = (raw[i] >>> shift) & mask;
      if (layout.signed() && (v & signBit) != 0) {
        v -= 1L << layout.bitsStored();
      }
      if (layout.monochrome1()) {
        v = mirror - v;
      }
      out[i] = (float) (v * layout.slope() + layout.intercept());
    }
    return out;
  }
}
