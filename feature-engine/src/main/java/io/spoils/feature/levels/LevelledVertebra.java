package io.spoils.feature.levels;

import io.spoils.feature.anatomy.VertebraLevel;

/**
 * One vertebral body isolated in a mask (posterior elements removed).
 *
 * @param level anatomical level, counted upward from the sacrum
 * @param indexFromBottom position among the vertebral structures found, 0 for the lowest
 * @param body the body's pixels (for the sacrum: the sacral part below the lowest disc)
 * @param apX x component (mm space) of the anterior-pointing unit vector of its own axes (mean of
 *     the adjacent discs' antero-posterior axes)
 * @param apY y component of that vector
 * @param partial whether only part of the body is seen: it touches the image border, the field of
 *     view ends within one body height above the top disc, or it is less than half the median
 *     area of the slice's other bodies (grazed by the slice, or an outline that stops part-way);
 *     its height and width are then not measured
 * @param levelIndex the level counted upward from the sacrum: 0 sacrum, 1 L5, 5 L1, 6 T12 and so
 *     on ({@link LevelNames#vertebra}); unlike {@link #level()} it names thoracic bodies too
 */
public record LevelledVertebra(
    VertebraLevel level,
    int indexFromBottom,
    Region body,
    double apX,
    double apY,
    boolean partial,
    int levelIndex) {

  /** The level's name, thoracic levels included ({@link LevelNames#vertebra}). */
  public String levelName() {
    return LevelNames.vertebra(levelIndex);
  }

  /** Whether this is the sacrum (heights are not measured on it). */
  public boolean isSacrum() {
    return level == VertebraLevel.SACRUM && indexFromBottom == 0;
  }
}
