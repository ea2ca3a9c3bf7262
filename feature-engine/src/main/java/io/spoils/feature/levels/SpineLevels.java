package io.spoils.feature.levels;

import java.util.List;

/**
 * Result of level labelling on one slice: discs and vertebral bodies ordered from the lowest
 * upward, the spinal canal, and warnings ({@code CODE: sentence}, no patient data).
 *
 * @param discs discs, lowest first
 * @param vertebrae vertebral bodies, lowest first (the sacrum, when found, is first)
 * @param canal all spinal canal pixels above the speck size (may be empty)
 * @param warnings plain-sentence warnings with a stable upper-case code before the colon
 * @param unnamedDiscs discs found below L5-S1 (transitional anatomy, see {@link LevelFit}),
 *     lowest first: not named, measured or graded; usually empty
 */
public record SpineLevels(
    List<LevelledDisc> discs, List<LevelledVertebra> vertebrae, Region canal,
    List<String> warnings, List<Region> unnamedDiscs) {
  public SpineLevels {
    discs = List.copyOf(discs);
    vertebrae = List.copyOf(vertebrae);
    warnings = List.copyOf(warnings);
    unnamedDiscs = List.copyOf(unnamedDiscs);
  }

  /** A labelling with no unnamed discs. */
  public SpineLevels(List<LevelledDisc> discs, List<LevelledVertebra> vertebrae, Region canal,
      List<String> warnings) {
    this(discs, vertebrae, canal, warnings, List.of());
  }
}
