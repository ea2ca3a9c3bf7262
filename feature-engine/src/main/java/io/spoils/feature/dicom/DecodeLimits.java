package io.spoils.feature.dicom;

import java.util.Map;

/**
 * How much decoding one study may materialise, whatever its files declare. A {@link DecodeBudget}
 * spends these limits file by file; a file that would pass them is refused with an
 * {@link io.spoils.feature.InvalidInputException} before anything of its size is allocated.
 *
 * @param maxPixels pixels decoded per study, all files together, &gt;= 1 (default
 *     {@value #DEFAULT_MAX_PIXELS}, 32 Mi: every sample the gateway's default 64 MiB upload holds
 *     at 16 bits, i.e. 128 MiB of float32 values). A file costs Rows x Columns when its native
 *     little endian frame 0 is read in place, and Rows x Columns x Number of Frames when PixelMed
 *     decodes the whole pixel data (big endian, encapsulated). Only the chosen series is decoded
 *     ({@link StudyReader}: the other series of an examination cost their headers), and at most
 *     its central 64 slices in the gateway, so even a 3D series of 150 sagittal slices of
 *     512 x 640 costs 64 x 0.33 Mi = 21 Mi pixels
 * @param maxInflatedBytes bytes that the deflated data sets (Deflated Explicit VR Little Endian) of
 *     one study may inflate to, all files together, &gt;= 1 (default
 *     {@value #DEFAULT_MAX_INFLATED_BYTES}, 256 MiB: four times the gateway's default upload
 *     limit); enforced while inflating, so a deflate bomb costs no more than this
 */
public record DecodeLimits(long maxPixels, long maxInflatedBytes) {
  /** Default {@link #maxPixels}: 32 Mi pixels. */
  public static final long DEFAULT_MAX_PIXELS = 32L * 1024 * 1024;
  /** Default {@link #maxInflatedBytes}: 256 MiB. */
  public static final long DEFAULT_MAX_INFLATED_BYTES = 256L * 1024 * 1024;
  /** Environment variable overriding {@link #maxPixels} (a positive integer). */
  public static final String ENV_MAX_PIXELS = "SPOILS_MAX_DECODED_PIXELS";
  /** Environment variable overriding {@link #maxInflatedBytes} (a positive integer). */
  public static final String ENV_MAX_INFLATED_BYTES = "SPOILS_MAX_INFLATED_BYTES";

  /** @throws IllegalArgumentException when a limit is below 1 */
  public DecodeLimits {
    if (maxPixels < 1) {
      throw new IllegalArgumentException("maxPixels must be >= 1, got " + maxPixels);
    }
    if (maxInflatedBytes < 1) {
      throw new IllegalArgumentException("maxInflatedBytes must be >= 1, got " + maxInflatedBytes);
    }
  }

  /** {@link #DEFAULT_MAX_PIXELS} and {@link #DEFAULT_MAX_INFLATED_BYTES}. */
  public static DecodeLimits defaults() {
    return new DecodeLimits(DEFAULT_MAX_PIXELS, DEFAULT_MAX_INFLATED_BYTES);
  }

  /**
   * The defaults, each overridden by its variable ({@value #ENV_MAX_PIXELS},
   * {@value #ENV_MAX_INFLATED_BYTES}) when {@code env} has it.
   *
   * @param env e.g. {@code System.getenv()}
   * @throws IllegalArgumentException naming the variable when a value is not a positive integer
   */
  public static DecodeLimits fromEnvironment(Map<String, String> env) {
    return new DecodeLimits(positive(env, ENV_MAX_PIXELS, DEFAULT_MAX_PIXELS),
        positive(env, ENV_MAX_INFLATED_BYTES, DEFAULT_MAX_INFLATED_BYTES));
  }

  private static long positive(Map<String, String> env, String name, long fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      long v = Long.parseLong(value.trim());
      if (v >= 1) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + " must be a positive integer, got \"" + value + "\"");
  }
}
