package io.spoils.feature.decision;

import io.spoils.feature.InvalidInputException;
import java.util.List;

/**
 * The 11 valid disc degeneration classes, Pfirrmann grade (1-5) x {@link Severity}. Grades 1 and 2
 * only exist as LOW (1M, 1H, 2M, 2H are not classes). The declaration order is the order of every
 * model's 11-element probability vector (CNN and trees): index {@link #ordinal()}.
 */
public enum DiscClass {
  P1L(1, Severity.LOW),
  P2L(2, Severity.LOW),
  P3L(3, Severity.LOW),
  P3M(3, Severity.MEDIUM),
  P3H(3, Severity.HIGH),
  P4L(4, Severity.LOW),
  P4M(4, Severity.MEDIUM),
  P4H(4, Severity.HIGH),
  P5L(5, Severity.LOW),
  P5M(5, Severity.MEDIUM),
  P5H(5, Severity.HIGH);

  /** Number of classes, the length of every probability vector. */
  public static final int COUNT = 11;

  private static final List<DiscClass> ALL = List.of(values());

  private final int pfirrmann;
  private final Severity severity;

  DiscClass(int pfirrmann, Severity severity) {
    this.pfirrmann = pfirrmann;
    this.severity = severity;
  }

  /** Pfirrmann grade, 1-5. */
  public int pfirrmann() {
    return pfirrmann;
  }

  public Severity severity() {
    return severity;
  }

  /** Display label, e.g. {@code 3M}. */
  public String label() {
    return pfirrmann + severity.code();
  }

  /** All classes in model output order. */
  public static List<DiscClass> ordered() {
    return ALL;
  }

  /** Labels in model output order ({@code 1L ... 5H}), the class-order contract of model files. */
  public static List<String> labels() {
    return ALL.stream().map(DiscClass::label).toList();
  }

  /** The class at this position of a probability vector, 0-10. */
  public static DiscClass ofIndex(int index) {
    if (index < 0 || index >= COUNT) {
      throw new IllegalArgumentException("class index must be 0-10, got " + index);
    }
    return ALL.get(index);
  }

  /**
   * The class for a grade and severity.
   *
   * @throws InvalidInputException for a grade outside 1-5 or the invalid combinations 1M 1H 2M 2H
   */
  public static DiscClass of(int pfirrmann, Severity severity) {
    if (severity == null) {
      throw new InvalidInputException("severity is missing");
    }
    for (DiscClass c : ALL) {
      if (c.pfirrmann == pfirrmann && c.severity == severity) {
        return c;
      }
    }
    throw new InvalidInputException("no disc class for Pfirrmann grade " + pfirrmann
        + " with severity " + severity.code() + " (grades 1-2 are always L, grades are 1-5)");
  }

  /** The class with this label, e.g. {@code "4H"}. */
  public static DiscClass ofLabel(String label) {
    for (DiscClass c : ALL) {
      if (c.label().equals(label)) {
        return c;
      }
    }
    throw new InvalidInputException("unknown disc class label '" + label + "'");
  }
}
