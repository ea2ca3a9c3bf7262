package io.spoils.feature.decision;

import io.spoils.feature.anatomy.DiscLevel;
import java.util.Objects;

/**
 * The grade of one disc of a study, the input of {@link TreatmentRule#decideStudy}.
 *
 * @param level the disc's level
 * @param discClass its class, or {@code null} when the disc was not graded (no model
 *     probabilities, or not gradable)
 */
public record LevelGrade(DiscLevel level, DiscClass discClass) {
  public LevelGrade {
    Objects.requireNonNull(level, "level");
  }

  /** Whether this disc takes part in the treatment decision: graded and lumbar (not thoracic). */
  public boolean isGraded() {
    return discClass != null && level != DiscLevel.THORACIC;
  }
}
