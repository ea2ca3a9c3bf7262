package io.spoils.gateway.output.report;

import io.spoils.feature.decision.Severity;
import io.spoils.feature.decision.TreatmentStratum;
import java.text.Normalizer;
import java.util.Locale;

/**
 * The words the written report and the DICOM SR share for grades, severities and strata, so that
 * both say the same thing. Plain clinical English, ASCII only (the SR's text needs no character
 * set beyond the default).
 */
public final class Wording {

  private static final String[] PFIRRMANN = {
      "homogeneous bright disc, clear distinction of nucleus and anulus, normal height",
      "inhomogeneous bright disc with or without horizontal bands, clear distinction of nucleus "
          + "and anulus, normal height",
      "inhomogeneous grey disc, unclear distinction of nucleus and anulus, normal to slightly "
          + "decreased height",
      "inhomogeneous grey to black disc, lost distinction of nucleus and anulus, normal to "
          + "moderately decreased height",
      "inhomogeneous black disc, lost distinction of nucleus and anulus, collapsed disc space"};

  private Wording() {
  }

  /**
   * The definition of a Pfirrmann grade (Pfirrmann et al., Spine 2001;26:1873), for the reader of
   * the report; it describes the grade, not a separate finding.
   *
   * @param grade 1-5
   */
  public static String pfirrmannDefinition(int grade) {
    if (grade < 1 || grade > 5) {
      throw new IllegalArgumentException("Pfirrmann grade must be 1-5, got " + grade);
    }
    return PFIRRMANN[grade - 1];
  }

  /** Roman numeral of a Pfirrmann grade, as radiologists write it: I-V. */
  public static String roman(int grade) {
    return switch (grade) {
      case 1 -> "I";
      case 2 -> "II";
      case 3 -> "III";
      case 4 -> "IV";
      case 5 -> "V";
      default -> throw new IllegalArgumentException("Pfirrmann grade must be 1-5, got " + grade);
    };
  }

  /**
   * The severity in words: the project's L/M/H spondylosis severity is reported as mild,
   * moderate or severe (the SR codes it with the SNOMED CT concepts of those names).
   */
  public static String severity(Severity severity) {
    return switch (severity) {
      case LOW -> "mild";
      case MEDIUM -> "moderate";
      case HIGH -> "severe";
    };
  }

  /** The stratum in words, lower case, e.g. "epidural steroid injection (TFESI)". */
  public static String stratum(TreatmentStratum stratum) {
    return switch (stratum) {
      case NOT_GRADED -> "not graded (no suggestion)";
      case CONSERVATIVE -> "conservative treatment (drugs, physiotherapy)";
      case EPIDURAL_STEROID_INJECTION -> "epidural steroid injection (TFESI)";
      case SURGICAL_CONSULTATION -> "surgical consultation";
    };
  }

  /**
   * The text in ASCII, for the report and the SR (whose default character repertoire is ASCII):
   * compatibility forms are decomposed ({@code mm²} becomes {@code mm2}), common symbols are
   * spelled ({@code >=}, {@code <=}, {@code x}, {@code -}), accents dropped, anything else becomes
   * {@code ?}. Pipeline sentences (reasons, warnings) pass through here.
   */
  public static String ascii(String text) {
    String t = Normalizer.normalize(text, Normalizer.Form.NFKD)
        .replace("\u2265", ">=").replace("\u2264", "<=").replace("\u00d7", "x")
        .replace("\u2013", "-").replace("\u2014", "-").replace("\u03bc", "u")
        .replaceAll("\\p{M}", "");
    StringBuilder sb = new StringBuilder(t.length());
    t.chars().forEach(c -> sb.append(c < 128 ? (char) c : '?'));
    return sb.toString();
  }

  /** A length or ratio with {@code decimals} decimals, or "not measured" for NaN. */
  public static String number(double value, int decimals, String unit) {
    if (!Double.isFinite(value)) {
      return "not measured";
    }
    return String.format(Locale.ROOT, "%." + decimals + "f", value) + (unit.isEmpty() ? "" : " "
        + unit);
  }
}
