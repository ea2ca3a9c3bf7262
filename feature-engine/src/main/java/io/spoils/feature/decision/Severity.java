package io.spoils.feature.decision;

/**
 * Severity of a degenerated disc, the second axis of the project's 11 disc classes. SPIDER has no
 * severity annotation: it is derived from the radiological findings by {@link SeverityRule}.
 */
public enum Severity {
  LOW("L"),
  MEDIUM("M"),
  HIGH("H");

  private final String code;

  Severity(String code) {
    this.code = code;
  }

  /** One-letter code as used in class labels: {@code L}, {@code M} or {@code H}. */
  public String code() {
    return code;
  }
}
