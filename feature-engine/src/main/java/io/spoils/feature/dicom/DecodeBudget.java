package io.spoils.feature.dicom;

import java.util.Objects;

/**
 * What is left of one study's {@link DecodeLimits} while its files are decoded, and when to stop.
 * The reader claims pixels and inflated bytes here before allocating them; a claim past the limit
 * throws {@link DecodeBudgetExceededException} (an invalid-input error) and claims nothing.
 *
 * <p>Stopping: {@link #checkStop()} runs the caller's {@link Stop} between files and between the
 * large steps of one file (structure check, inflation every MiB, header, pixel decoding). The stop
 * throws whatever the caller wants to surface (e.g. a deadline or cancellation error); the reader
 * lets it through unchanged.
 *
 * <p>Threading: one study is decoded on one thread at a time; instances are not thread-safe.
 */
public final class DecodeBudget {

  /** Asked between decoding steps whether to go on; throws (anything unchecked) to stop. */
  @FunctionalInterface
  public interface Stop {
    /** Returns to go on; throws to stop decoding. */
    void check();
  }

  private final DecodeLimits limits;
  private final Stop stop;
  private long pixels;
  private long inflatedBytes;

  private DecodeBudget(DecodeLimits limits, Stop stop) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.stop = Objects.requireNonNull(stop, "stop");
  }

  /** A fresh budget of {@code limits} that stops when {@code stop} throws. */
  public static DecodeBudget of(DecodeLimits limits, Stop stop) {
    return new DecodeBudget(limits, stop);
  }

  /** A fresh budget of {@code limits} that never stops early. */
  public static DecodeBudget of(DecodeLimits limits) {
    return new DecodeBudget(limits, () -> { });
  }

  public DecodeLimits limits() {
    return limits;
  }

  /** Pixels claimed so far. */
  public long pixelsUsed() {
    return pixels;
  }

  /** Inflated bytes claimed so far. */
  public long inflatedBytesUsed() {
    return inflatedBytes;
  }

  /** Runs the caller's stop check (which throws to stop). */
  public void checkStop() {
    stop.check();
  }

  /** Inflated bytes still allowed. */
  long inflatedBytesLeft() {
    return limits.maxInflatedBytes() - inflatedBytes;
  }

  /**
   * Claims {@code count} decoded pixels.
   *
   * @param what how the count was reached, for the message (e.g. "Rows x Columns x Frames")
   * @throws DecodeBudgetExceededException when fewer are left
   */
  void claimPixels(long count, String what) {
    long left = limits.maxPixels() - pixels;
    if (count > left) {
      throw new DecodeBudgetExceededException("the image needs " + count + " pixels decoded ("
          + what + ") but only " + left + " of the study's decoding budget of "
          + limits.maxPixels() + " pixels are left");
    }
    pixels += count;
  }

  /**
   * Claims {@code count} inflated bytes (already known to fit: see {@link #inflatedBytesLeft()}).
   *
   * @throws DecodeBudgetExceededException when fewer are left
   */
  void claimInflated(long count) {
    if (count > inflatedBytesLeft()) {
      throw inflatedTooLarge();
    }
    inflatedBytes += count;
  }

  /** The refusal of a deflated data set that inflates past what is left. */
  DecodeBudgetExceededException inflatedTooLarge() {
    return new DecodeBudgetExceededException("the deflated data set inflates to more than the "
        + inflatedBytesLeft() + " bytes left of the study's limit of " + limits.maxInflatedBytes()
        + " inflated bytes (a deflate bomb or an oversize study)");
  }
}
