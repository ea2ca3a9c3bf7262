package io.spoils.feature.levels;

import io.spoils.feature.anatomy.AnatomyLabel;
import io.spoils.feature.image.LabelMap;
import java.util.Objects;

/**
 * Renders the 14-class anatomical label map ({@link LabelMap.Scheme#ANATOMY14}) of a slice from its
 * level labelling: each named disc takes its disc label (T12-L1 .. L5-S1), each named vertebral
 * body its vertebra label (L1-L5, sacrum), the spinal canal {@link AnatomyLabel#CANAL}; everything
 * else is background. Thoracic discs and vertebrae have no class of their own and stay background,
 * as do the posterior elements (the 14-class scheme has none), discs the level fit left unnamed
 * below L5-S1 ({@link SpineLevels#unnamedDiscs()}) and specks that level labelling dropped. Pure
 * and thread-safe.
 */
public final class AnatomyMaps {

  private AnatomyMaps() {
  }

  /**
   * The 14-class map of a labelled slice.
   *
   * @param semantic the map the levels were labelled on (any scheme); gives size and spacing
   * @param levels the level labelling of {@code semantic}
   * @return a new map of the same size and spacing, ids 0-13 as in {@link AnatomyLabel}
   */
  public static LabelMap anatomy14(LabelMap semantic, SpineLevels levels) {
    Objects.requireNonNull(semantic, "semantic");
    Objects.requireNonNull(levels, "levels");
    byte[] out = new byte[semantic.labels().length];
    paint(out, levels.canal(), AnatomyLabel.CANAL);
    for (LevelledVertebra v : levels.vertebrae()) {
      paint(out, v.body(), v.level().label());
    }
    for (LevelledDisc d : levels.discs()) {
      paint(out, d.region(), d.level().label());
    }
    return new LabelMap(semantic.width(), semantic.height(), out, semantic.spacing(),
        LabelMap.Scheme.ANATOMY14);
  }

  // Discs are painted last: where a fragment merge made a disc overlap a body, the disc wins.
  private static void paint(byte[] out, Region region, AnatomyLabel label) {
    if (label == null || region == null) {
      return;
    }
    byte id = (byte) label.id();
    for (int p : region.pixels()) {
      out[p] = id;
    }
  }
}
