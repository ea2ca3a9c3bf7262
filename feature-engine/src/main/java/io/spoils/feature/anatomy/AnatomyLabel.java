package io.spoils.feature.anatomy;

/**
 * The 14 anatomical classes of the segmentation (the source paper's label set), with the class id
 * used in label maps and in the segmentation model's output channel order.
 */
public enum AnatomyLabel {
  BACKGROUND(0),
  L1(1),
  L2(2),
  L3(3),
  L4(4),
  L5(5),
  SACRUM(6),
  DISC_T12_L1(7),
  DISC_L1_L2(8),
  DISC_L2_L3(9),
  DISC_L3_L4(10),
  DISC_L4_L5(11),
  DISC_L5_S1(12),
  CANAL(13);

  /** Number of classes, i.e. channels of the segmentation output. */
  public static final int COUNT = 14;

  private static final AnatomyLabel[] BY_ID = values();

  private final int id;

  AnatomyLabel(int id) {
    this.id = id;
  }

  /** Class id in a {@link io.spoils.feature.image.LabelMap.Scheme#ANATOMY14} label map, 0-13. */
  public int id() {
    return id;
  }

  public boolean isDisc() {
    return id >= DISC_T12_L1.id && id <= DISC_L5_S1.id;
  }

  /** Lumbar vertebra or sacrum. */
  public boolean isVertebra() {
    return id >= L1.id && id <= SACRUM.id;
  }

  /** The label with this id; throws for ids outside 0-13. */
  public static AnatomyLabel ofId(int id) {
    if (id < 0 || id >= COUNT) {
      throw new IllegalArgumentException("no anatomy label with id " + id);
    }
    return BY_ID[id];
  }
}
