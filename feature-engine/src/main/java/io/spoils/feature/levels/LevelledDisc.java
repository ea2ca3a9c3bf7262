package io.spoils.feature.levels;

import io.spoils.feature.anatomy.DiscLevel;

/**
 * One disc found in a mask, with its level and in-plane orientation.
 *
 * @param level anatomical level
 * @param indexFromBottom position among the discs found, 0 for the lowest
 * @param region the disc's pixels
 * @param apX x component (mm space) of the unit vector along the disc's antero-posterior axis,
 *     pointing anteriorly (away from the spinal canal)
 * @param apY y component (mm space, rows grow downward) of that unit vector
 * @param vertebraBelow index into {@link SpineLevels#vertebrae()} of the body below, or -1
 * @param vertebraAbove index into {@link SpineLevels#vertebrae()} of the body above, or -1
 * @param partial whether only part of the disc is seen: it touches the image border, or its extent
 *     along its AP axis is under 60 % of the median of the slice's other discs; its shape is then
 *     not measured
 * @param levelIndex the level counted upward from the lumbosacral junction: 0 L5-S1, 5 T12-L1,
 *     6 T11-T12 and so on ({@link LevelNames#disc}); unlike {@link #level()} it names thoracic
 *     discs too
 * @param lumbosacral whether most of its pixels are of the lumbosacral-disc class (segmentation
 *     contract v2), whatever level the fit gave it
 */
public record LevelledDisc(
    DiscLevel level,
    int indexFromBottom,
    Region region,
    double apX,
    double apY,
    int vertebraBelow,
    int vertebraAbove,
    boolean partial,
    int levelIndex,
    boolean lumbosacral) {

  /** The level's name, thoracic levels included ({@link LevelNames#disc}). */
  public String levelName() {
    return LevelNames.disc(levelIndex);
  }
}
