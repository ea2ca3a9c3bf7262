package io.spoils.feature.decision;

import java.util.Arrays;

/**
 * The combined grade of one disc.
 *
 * @param probabilities 11 probabilities in {@link DiscClass} order, summing to 1 (copy on access)
 * @param discClass the most probable class (first one on ties)
 * @param confidence its probability, 0-1
 * @param sources which models contributed
 * @param note one sentence saying how the probabilities were obtained
 */
public record EnsembleGrade(
    double[] probabilities, DiscClass discClass, double confidence, Sources sources, String note) {

  /** Which models' probabilities were combined. */
  public enum Sources {
    CNN_AND_TREES,
    CNN_ONLY,
    TREES_ONLY
  }

  public EnsembleGrade {
    probabilities = probabilities.clone();
  }

  @Override
  public double[] probabilities() {
    return probabilities.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EnsembleGrade g && Arrays.equals(probabilities, g.probabilities)
        && discClass == g.discClass && confidence == g.confidence && sources == g.sources
        && note.equals(g.note);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(probabilities) + discClass.hashCode();
  }

  @Override
  public String toString() {
    return "EnsembleGrade[" + discClass.label() + " " + confidence + " " + sources + "]";
  }
}
