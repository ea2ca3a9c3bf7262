package io.spoils.feature.anatomy;

/**
 * A vertebra, named by counting upward from the sacrum (the lowest vertebral structure). Vertebrae
 * above L1 are {@link #THORACIC}.
 */
public enum VertebraLevel {
  THORACIC(null),
  L1(AnatomyLabel.L1),
  L2(AnatomyLabel.L2),
  L3(AnatomyLabel.L3),
  L4(AnatomyLabel.L4),
  L5(AnatomyLabel.L5),
  SACRUM(AnatomyLabel.SACRUM);

  /** Number of named (non-thoracic) levels including the sacrum. */
  public static final int NAMED = 6;

  private final AnatomyLabel label;

  VertebraLevel(AnatomyLabel label) {
    this.label = label;
  }

  /** The 14-class label, or {@code null} for {@link #THORACIC}. */
  public AnatomyLabel label() {
    return label;
  }

  public String displayName() {
    return this == THORACIC ? "thoracic" : name();
  }

  /** 0 is the sacrum, 1 is L5, ... 5 is L1, 6 and above are thoracic. */
  public static VertebraLevel fromBottom(int indexFromBottom) {
    if (indexFromBottom < 0) {
      throw new IllegalArgumentException("index must be >= 0");
    }
    return indexFromBottom >= NAMED ? THORACIC : values()[NAMED - indexFromBottom];
  }

  /** The named level for a 14-class vertebra label. */
  public static VertebraLevel ofLabel(AnatomyLabel label) {
    for (VertebraLevel level : values()) {
      if (level.label == label) {
        return level;
      }
    }
    throw new IllegalArgumentException(label + " is not a vertebra");
  }
}
