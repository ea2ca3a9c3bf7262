package io.spoils.gateway.tooling;

import io.spoils.feature.anatomy.DiscLevel;
import io.spoils.feature.decision.DiscClass;
import io.spoils.gateway.pipeline.PipelineEvent;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Joins the discs the pipeline found on one image to the image's graded discs by level: SPIDER's
 * {@code ivd_label} 1 is L5-S1, 2 L4-L5, 3 L3-L4, 4 L2-L3, 5 L1-L2, 6 T12-L1. Label 0 (an extra,
 * lower disc in transitional anatomy) and labels above 6 (thoracic) have no named level and are
 * left out; so are thoracic discs the pipeline found.
 */
public final class LevelJoin {

  /** Highest ivd_label with a named level (T12-L1). */
  public static final int HIGHEST_NAMED_LABEL = 6;

  private LevelJoin() {}

  /**
   * One graded disc the pipeline found at its level.
   *
   * @param ivdLabel SPIDER's label, 1-6
   * @param reference its reference class
   * @param disc what the pipeline found at that level
   */
  public record Joined<T>(int ivdLabel, DiscClass reference, T disc) { }

  /**
   * The join of one image.
   *
   * @param joined graded discs found at their level, from L5-S1 upward
   * @param graded graded discs with a named level (ivd_label 1-6)
   * @param found discs the pipeline named (not thoracic)
   * @param missing graded discs the pipeline did not find at their level
   * @param ungraded named discs found without a grade at their level
   */
  public record Outcome<T>(List<Joined<T>> joined, int graded, int found, int missing,
      int ungraded) { }

  /** The level of an ivd_label, or null for 0 and labels above {@link #HIGHEST_NAMED_LABEL}. */
  public static DiscLevel level(int ivdLabel) {
    return ivdLabel < 1 || ivdLabel > HIGHEST_NAMED_LABEL ? null
        : DiscLevel.fromBottom(ivdLabel - 1);
  }

  /** The ivd_label of a named level (L5-S1 1 ... T12-L1 6). */
  public static int ivdLabel(DiscLevel level) {
    if (level == DiscLevel.THORACIC) {
      throw new IllegalArgumentException("thoracic discs have no ivd_label here");
    }
    for (int label = 1; label <= HIGHEST_NAMED_LABEL; label++) {
      if (level(label) == level) {
        return label;
      }
    }
    throw new IllegalStateException("unnamed level " + level);
  }

  /** Joins {@code grades} (ivd_label to class) with the pipeline's disc events. */
  public static Outcome<PipelineEvent.Disc> join(Map<Integer, DiscClass> grades,
      List<PipelineEvent.Disc> discs) {
    return join(grades, discs, PipelineEvent.Disc::level);
  }

  /** Joins {@code grades} with {@code discs}, each at the level {@code levelOf} gives. */
  public static <T> Outcome<T> join(Map<Integer, DiscClass> grades, List<T> discs,
      Function<T, DiscLevel> levelOf) {
    Map<DiscLevel, T> byLevel = new EnumMap<>(DiscLevel.class);
    for (T d : discs) {
      DiscLevel level = levelOf.apply(d);
      if (level != DiscLevel.THORACIC) {
        byLevel.putIfAbsent(level, d);
      }
    }
    List<Joined<T>> joined = new ArrayList<>();
    int graded = 0;
    for (int label = 1; label <= HIGHEST_NAMED_LABEL; label++) {
      DiscClass reference = grades.get(label);
      if (reference == null) {
        continue;
      }
      graded++;
      T disc = byLevel.get(level(label));
      if (disc != null) {
        joined.add(new Joined<>(label, reference, disc));
      }
    }
    int ungraded = 0;
    for (DiscLevel level : byLevel.keySet()) {
      ungraded += grades.containsKey(ivdLabel(level)) ? 0 : 1;
    }
    return new Outcome<>(joined, graded, byLevel.size(), graded - joined.size(), ungraded);
  }
}
