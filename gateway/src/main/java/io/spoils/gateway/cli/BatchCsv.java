package io.spoils.gateway.cli;

import io.spoils.feature.decision.DiscClass;
import io.spoils.feature.geometry.DiscGeometry;
import io.spoils.gateway.pipeline.PipelineEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The CSV tables of {@code spoils analyze --batch-out} (RFC 4180, comma-separated, LF line ends,
 * a header row, lengths in mm, empty cells for values not computed): {@value #DISCS_FILE} holds
 * one row per disc of every analysed study; {@value #STUDIES_FILE} one row per study with its
 * outcome. Rows name a study by its folder ({@code study-001}) and its Study Instance UID, which
 * are identifiers, not patient data.
 */
final class BatchCsv {

  static final String DISCS_FILE = "discs.csv";
  static final String STUDIES_FILE = "studies.csv";
  static final String DISCS_HEADER = "study,study_instance_uid,level,class,pfirrmann,severity,"
      + "confidence,cnn_class,trees_class,average_height_mm,average_width_mm,height_index,"
      + "signal_ratio_to_csf,volume_mm3,stratum";
  static final String STUDIES_HEADER = "study,study_instance_uid,files,status,stratum,"
      + "discs_graded,reason";

  private BatchCsv() {
  }

  /** The rows of {@value #DISCS_FILE} for one study's events, lowest disc first. */
  static List<String> discRows(String study, String studyUid, List<PipelineEvent> events) {
    List<String> rows = new ArrayList<>();
    for (PipelineEvent e : events) {
      if (e instanceof PipelineEvent.Disc d) {
        DiscGeometry g = d.geometry();
        DiscClass c = d.ensemble().map(x -> x.discClass()).orElse(null);
        rows.add(String.join(",", cell(study), cell(studyUid), cell(g.level().displayName()),
            c == null ? "" : c.label(), c == null ? "" : Integer.toString(c.pfirrmann()),
            c == null ? "" : c.severity().name().toLowerCase(Locale.ROOT),
            d.ensemble().map(x -> num(x.confidence(), 4)).orElse(""),
            d.cnn().map(BatchCsv::topClass).orElse(""),
            d.trees().map(t -> t.predicted().label()).orElse(""),
            num(g.averageHeightMm(), 2), num(g.averageWidthMm(), 2), num(g.heightIndex(), 4),
            num(g.signalRatioToCsf(), 4), d.volumeSlices() > 0 ? num(g.volumeMm3(), 1) : "",
            stratum(d.decision().stratum())));
      }
    }
    return rows;
  }

  /** The row of {@value #STUDIES_FILE} of an analysed study. */
  static String analysed(String study, String studyUid, int files, PipelineEvent.Summary s) {
    return String.join(",", cell(study), cell(studyUid), Integer.toString(files), "analysed",
        stratum(s.decision().stratum()), Integer.toString(s.discsGraded()),
        cell(s.decision().reason()));
  }

  /** The row of {@value #STUDIES_FILE} of a study whose analysis failed, with the reason. */
  static String failed(String study, String studyUid, int files, String reason) {
    return String.join(",", cell(study), cell(studyUid), Integer.toString(files), "failed", "",
        "", cell(reason));
  }

  /** A text cell, quoted when it holds a comma, quote or line break. */
  static String cell(String text) {
    if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
      return "\"" + text.replace("\"", "\"\"") + "\"";
    }
    return text;
  }

  private static String num(double v, int decimals) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "";
  }

  private static String stratum(io.spoils.feature.decision.TreatmentStratum s) {
    return s.name().toLowerCase(Locale.ROOT);
  }

  private static String topClass(float[] p) {
    int best = 0;
    for (int i = 1; i < p.length; i++) {
      if (p[i] > p[best]) {
        best = i;
      }
    }
    return DiscClass.ofIndex(best).label();
  }
}
