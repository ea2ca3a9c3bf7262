package io.spoils.feature.levels;

/**
 * Names of levels counted upward from the lumbosacral junction, as radiologists write them,
 * thoracic levels included (the 14-class label set stops at T12-L1 and L1).
 */
public final class LevelNames {
  /** The highest level with a name: disc T1-T2, vertebra T1. */
  public static final int MAX_LEVEL = 17;

  private LevelNames() {}

  /**
   * A vertebra's name: 0 is {@code S1} (the sacrum), 1-5 {@code L5}-{@code L1}, 6-17
   * {@code T12}-{@code T1}.
   *
   * @throws IllegalArgumentException outside 0-17
   */
  public static String vertebra(int level) {
    if (level < 0 || level > MAX_LEVEL) {
      throw new IllegalArgumentException("no vertebra level " + level);
    }
    return level == 0 ? "S1" : level <= 5 ? "L" + (6 - level) : "T" + (18 - level);
  }

  /**
   * A disc's name, from the vertebrae above and below it: 0 is {@code L5-S1}, 5 {@code T12-L1},
   * 16 {@code T1-T2}.
   *
   * @throws IllegalArgumentException outside 0-16
   */
  public static String disc(int level) {
    if (level < 0 || level >= MAX_LEVEL) {
      throw new IllegalArgumentException("no disc level " + level);
    }
    return vertebra(level + 1) + "-" + vertebra(level);
  }
}
