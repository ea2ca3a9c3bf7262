package io.spoils.gateway.output.report;

import java.util.List;
import java.util.Objects;

/**
 * A written per-level report of one analysis, in plain clinical English, built by
 * {@link ReportWriter} from the analysis' values only. ASCII text; no patient data.
 *
 * @param technique what was analysed: series, measured slice, clinical scores
 * @param levels one paragraph per disc level, cranial to caudal
 * @param impression the numbered conclusions, most important first
 * @param definitions the definitions of the Pfirrmann grades the report uses, lowest first
 * @param warnings the analysis' warnings, one sentence each
 * @param models every model that contributed, with its version
 * @param disclaimer the decision-support statement, always present
 */
public record ClinicalReport(String technique, List<LevelParagraph> levels,
    List<String> impression, List<String> definitions, List<String> warnings, List<String> models,
    String disclaimer) {

  /** Report title. */
  public static final String TITLE = "SPOILS automated lumbar spine MRI report";

  /**
   * The findings at one level.
   *
   * @param level the level as radiologists write it, e.g. {@code L4-L5}
   * @param lines the findings, one line per aspect (disc, height, signal, canal, stratum)
   */
  public record LevelParagraph(String level, List<String> lines) {
    public LevelParagraph {
      Objects.requireNonNull(level, "level");
      lines = List.copyOf(lines);
    }
  }

  public ClinicalReport {
    Objects.requireNonNull(technique, "technique");
    Objects.requireNonNull(disclaimer, "disclaimer");
    levels = List.copyOf(levels);
    impression = List.copyOf(impression);
    definitions = List.copyOf(definitions);
    warnings = List.copyOf(warnings);
    models = List.copyOf(models);
  }

  /** The impression as one numbered block. */
  public String impressionText() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < impression.size(); i++) {
      sb.append(i + 1).append(". ").append(impression.get(i)).append('\n');
    }
    return sb.toString();
  }

  /** The whole report as plain text with {@code \n} line ends. */
  public String text() {
    StringBuilder sb = new StringBuilder();
    sb.append(TITLE).append('\n').append(disclaimer).append("\n\n");
    sb.append("TECHNIQUE\n").append(technique).append("\n\n");
    sb.append("FINDINGS\n");
    for (LevelParagraph p : levels) {
      sb.append(p.level()).append('\n');
      p.lines().forEach(line -> sb.append("  ").append(line).append('\n'));
    }
    sb.append("\nIMPRESSION\n").append(impressionText());
    if (!definitions.isEmpty()) {
      sb.append("\nPFIRRMANN GRADES (definitions)\n");
      definitions.forEach(d -> sb.append("- ").append(d).append('\n'));
    }
    if (!warnings.isEmpty()) {
      sb.append("\nWARNINGS\n");
      warnings.forEach(w -> sb.append("- ").append(w).append('\n'));
    }
    sb.append("\nMODELS\n");
    models.forEach(m -> sb.append("- ").append(m).append('\n'));
    sb.append('\n').append(disclaimer).append('\n');
    return sb.toString();
  }
}
