package io.spoils.feature.decision;

/**
 * The project's severity rule, used to derive the severity that SPIDER does not annotate:
 *
 * <pre>
 * score = narrowing + upper endplate + lower endplate + (Modic &gt; 0 ? 1 : 0)
 *       + herniation + spondylolisthesis
 * LOW if score &lt;= 1, MEDIUM if 2-3, HIGH if &gt;= 4; Pfirrmann grades 1 and 2 are always LOW.
 * </pre>
 *
 * <p>Bulging is deliberately not scored. Stateless and thread-safe.
 */
public final class SeverityRule {
  /** Highest score that is still LOW. */
  public static final int LOW_MAX = 1;
  /** Highest score that is still MEDIUM. */
  public static final int MEDIUM_MAX = 3;

  private SeverityRule() {}

  /** The severity score, 0-6. */
  public static int score(RadiologicalFindings f) {
    return f.narrowing() + f.upperEndplate() + f.lowerEndplate() + (f.modic() > 0 ? 1 : 0)
        + f.herniation() + f.spondylolisthesis();
  }

  /** The severity of these findings (LOW for grades 1 and 2 whatever the score). */
  public static Severity severity(RadiologicalFindings f) {
    if (f.pfirrmann() <= 2) {
      return Severity.LOW;
    }
    int score = score(f);
    if (score <= LOW_MAX) {
      return Severity.LOW;
    }
    return score <= MEDIUM_MAX ? Severity.MEDIUM : Severity.HIGH;
  }

  /** The 11-class label of these findings. */
  public static DiscClass classify(RadiologicalFindings f) {
    return DiscClass.of(f.pfirrmann(), severity(f));
  }
}
