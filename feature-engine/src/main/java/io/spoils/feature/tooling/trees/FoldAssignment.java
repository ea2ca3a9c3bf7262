package io.spoils.feature.tooling.trees;

import io.spoils.feature.InvalidInputException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * Deterministic assignment of groups (patients) to cross-validation folds, so that no patient has
 * discs on both sides of a split. The distinct group keys are sorted, shuffled with
 * {@code new Random(seed)} and dealt round-robin: the same keys and seed always give the same folds,
 * and fold sizes differ by at most one group.
 */
public final class FoldAssignment {
  private final Map<String, Integer> foldOf;
  private final int folds;

  private FoldAssignment(Map<String, Integer> foldOf, int folds) {
    this.foldOf = foldOf;
    this.folds = folds;
  }

  /**
   * Assigns the distinct {@code groups} to {@code folds} folds.
   *
   * @throws InvalidInputException when folds &lt; 2 or there are fewer groups than folds
   */
  public static FoldAssignment of(Collection<String> groups, int folds, long seed) {
    List<String> keys = new ArrayList<>(new TreeSet<>(groups));
    if (folds < 2) {
      throw new InvalidInputException("cross-validation needs at least 2 folds, got " + folds);
    }
    if (keys.size() < folds) {
      throw new InvalidInputException("cross-validation with " + folds + " folds needs at least "
          + folds + " patients, got " + keys.size());
    }
    Collections.shuffle(keys, new Random(seed));
    Map<String, Integer> foldOf = new HashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      foldOf.put(keys.get(i), i % folds);
    }
    return new FoldAssignment(foldOf, folds);
  }

  /** The fold (0 to folds-1) of a group given at construction. */
  public int foldOf(String group) {
    Integer fold = foldOf.get(group);
    if (fold == null) {
      throw new IllegalArgumentException("group was not assigned a fold");
    }
    return fold;
  }

  public int folds() {
    return folds;
  }
}
