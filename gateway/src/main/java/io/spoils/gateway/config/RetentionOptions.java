package io.spoils.gateway.config;

import io.spoils.feature.InvalidInputException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How long the gateway keeps analyses submitted with {@code Prefer: respond-async} (their events,
 * the analysed slice and its label map, for {@code GET /v1/analyses/{id}[/...]} and the web
 * viewer), in memory only. Read from the environment only, like the drain timeout.
 *
 * @param maxAnalyses finished analyses kept, &gt;= 1 (default {@value #DEFAULT_MAX_ANALYSES}); the
 *     oldest finished one goes first. Running analyses are always kept: admission bounds them.
 * @param retention how long a finished analysis stays retrievable, &gt; 0 (default
 *     {@value #DEFAULT_RETENTION_SECONDS} s)
 */
public record RetentionOptions(int maxAnalyses, Duration retention) {

  public static final int DEFAULT_MAX_ANALYSES = 16;
  public static final long DEFAULT_RETENTION_SECONDS = 600;
  public static final String MAX_ANALYSES_ENV = "SPOILS_RETAINED_ANALYSES";
  public static final String RETENTION_ENV = "SPOILS_RETENTION_SECONDS";

  /** The settings, as the README's table shows them. */
  public static final List<Setting> SETTINGS = List.of(
      new Setting("RetentionOptions", "", MAX_ANALYSES_ENV, Integer.toString(DEFAULT_MAX_ANALYSES),
          "finished analyses submitted with `Prefer: respond-async` kept in memory (events, slice "
          + "and label-map PNGs for the web viewer), >= 1; the oldest goes first"),
      new Setting("RetentionOptions", "", RETENTION_ENV, Long.toString(DEFAULT_RETENTION_SECONDS),
          "how long such a finished analysis stays retrievable, seconds, 1-86400"));

  public RetentionOptions {
    if (maxAnalyses < 1) {
      throw new InvalidInputException(MAX_ANALYSES_ENV + " must be >= 1");
    }
    if (retention == null || retention.isNegative() || retention.isZero()) {
      throw new InvalidInputException(RETENTION_ENV + " must be > 0");
    }
  }

  /** The defaults. */
  public static RetentionOptions defaults() {
    return new RetentionOptions(DEFAULT_MAX_ANALYSES, Duration.ofSeconds(DEFAULT_RETENTION_SECONDS));
  }

  /**
   * The options in {@code env} ({@value #MAX_ANALYSES_ENV}, {@value #RETENTION_ENV}), defaults for
   * those unset or blank.
   *
   * @throws InvalidInputException when a value is not a whole number in range
   */
  public static RetentionOptions fromEnvironment(Map<String, String> env) {
    int max = (int) whole(env, MAX_ANALYSES_ENV, DEFAULT_MAX_ANALYSES, 1, 100_000);
    long seconds = whole(env, RETENTION_ENV, DEFAULT_RETENTION_SECONDS, 1, 86_400);
    return new RetentionOptions(max, Duration.ofSeconds(seconds));
  }

  private static long whole(Map<String, String> env, String name, long fallback, long min,
      long max) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidInputException(name + " must be a whole number " + min + "-" + max
        + ", got \"" + v.replaceAll("[^\\x20-\\x7E]", "?") + "\"");
  }
}
