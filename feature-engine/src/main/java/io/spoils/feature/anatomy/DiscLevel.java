package io.spoils.feature.anatomy;

/**
 * An intervertebral disc level, named by counting upward from the lowest disc (L5-S1). Discs above
 * T12-L1 are reported as {@link #THORACIC}: they are found but not graded by name.
 */
public enum DiscLevel {
  THORACIC(null),
  T12_L1(AnatomyLabel.DISC_T12_L1),
  L1_L2(AnatomyLabel.DISC_L1_L2),
  L2_L3(AnatomyLabel.DISC_L2_L3),
  L3_L4(AnatomyLabel.DISC_L3_L4),
  L4_L5(AnatomyLabel.DISC_L4_L5),
  L5_S1(AnatomyLabel.DISC_L5_S1);

  /** Number of named (non-thoracic) levels. */
  public static final int NAMED = 6;

  private final AnatomyLabel label;

  DiscLevel(AnatomyLabel label) {
    this.label = label;
  }

  /** The 14-class label of this disc, or {@code null} for {@link #THORACIC}. */
  public AnatomyLabel label() {
    return label;
  }

  /** Display name as radiologists write it, e.g. {@code L4-L5}, {@code T12-L1}, {@code thoracic}. */
  public String displayName() {
    return this == THORACIC ? "thoracic" : name().replace('_', '-');
  }

  /**
   * The level of the disc at position {@code indexFromBottom} counted upward from the lowest one:
   * 0 is L5-S1, 5 is T12-L1, 6 and above are thoracic.
   */
  public static DiscLevel fromBottom(int indexFromBottom) {
    if (indexFromBottom < 0) {
      throw new IllegalArgumentException("index must be >= 0");
    }
    return indexFromBottom >= NAMED ? THORACIC : values()[NAMED - indexFromBottom];
  }

  /** The named level for a 14-class disc label. */
  public static DiscLevel ofLabel(AnatomyLabel label) {
    for (DiscLevel level : values()) {
      if (level.label == label) {
        return level;
      }
    }
    throw new IllegalArgumentException(label + " is not a disc");
  }
}
