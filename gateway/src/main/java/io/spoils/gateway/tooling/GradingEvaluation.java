package io.spoils.gateway.tooling;

import io.spoils.feature.decision.DiscClass;
import io.spoils.feature.tooling.metrics.GraderScores;
import io.spoils.gateway.pipeline.PipelineEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The figures of the CNN, the trees and the ensemble on graded images run through the serving
 * path, per sequence, source, vendor and field strength ({@link GraderScores} for each grader, plus
 * the counts of discs found, joined and missing). Each grader is scored on the discs it graded:
 * the trees skip discs with an unmeasured feature (the ensemble is then the CNN alone, as served).
 * Collect with {@link #add}, then read {@link #groups()}.
 */
public final class GradingEvaluation {

  /** The graders reported, in order. */
  public static final List<String> GRADERS = List.of("cnn", "trees", "ensemble");

  /** One joined disc with its three graders' probabilities (null where a grader did not grade). */
  record Scored(GradedImages.GradedImage image, DiscClass reference, double[] cnn,
      double[] trees, double[] ensemble) { }

  /** One image's outcome. */
  record ImageResult(GradedImages.GradedImage image, boolean failed,
      LevelJoin.Outcome<PipelineEvent.Disc> join) { }

  private final List<Scored> scored = new ArrayList<>();
  private final List<ImageResult> images = new ArrayList<>();

  /** Adds one image's analysis. */
  public void add(GradedImages.GradedImage image, ServingPath.Analysis analysis) {
    LevelJoin.Outcome<PipelineEvent.Disc> join = LevelJoin.join(image.grades(), analysis.discs());
    images.add(new ImageResult(image, analysis.failure().isPresent(), join));
    for (LevelJoin.Joined<PipelineEvent.Disc> j : join.joined()) {
      PipelineEvent.Disc d = j.disc();
      scored.add(new Scored(image, j.reference(), d.cnn().map(GradingEvaluation::toDouble)
          .orElse(null), d.trees().map(t -> t.probabilities()).orElse(null),
          d.ensemble().map(e -> e.probabilities()).orElse(null)));
    }
  }

  /** The groups reported: name and which images belong to it. */
  static List<Map.Entry<String, Predicate<GradedImages.GradedImage>>> groupDefinitions() {
    List<Map.Entry<String, Predicate<GradedImages.GradedImage>>> g = new ArrayList<>();
    g.add(Map.entry("all", i -> true));
    for (String seq : List.of("T2 TSE", "T2 SPACE")) {
      g.add(Map.entry(seq, i -> i.source().sequence().equals(seq)));
    }
    for (GradedImages.Source s : GradedImages.Source.values()) {
      g.add(Map.entry(s.label(), i -> i.source() == s));
    }
    for (String vendor : List.of("Philips", "Siemens")) {
      g.add(Map.entry(vendor, i -> i.vendor().equals(vendor)));
      g.add(Map.entry("T2 TSE, " + vendor, i -> i.source() == GradedImages.Source.MIDSAG_T2
          && i.vendor().equals(vendor)));
    }
    for (String field : List.of("1.5 T", "3 T")) {
      g.add(Map.entry(field, i -> i.fieldStrength().equals(field)));
      g.add(Map.entry("T2 TSE, " + field, i -> i.source() == GradedImages.Source.MIDSAG_T2
          && i.fieldStrength().equals(field)));
    }
    return g;
  }

  /** Per group: counts and each grader's scores, as JSON-ready maps (empty groups left out). */
  public Map<String, Object> groups() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (var def : groupDefinitions()) {
      List<ImageResult> in = images.stream().filter(r -> def.getValue().test(r.image())).toList();
      if (in.isEmpty()) {
        continue;
      }
      List<Scored> discs = scored.stream().filter(s -> def.getValue().test(s.image())).toList();
      Map<String, Object> group = new LinkedHashMap<>();
      group.put("counts", counts(in));
      group.put("cnn", scores(discs, Scored::cnn).toMap());
      group.put("trees", scores(discs, Scored::trees).toMap());
      group.put("ensemble", scores(discs, Scored::ensemble).toMap());
      out.put(def.getKey(), group);
    }
    return out;
  }

  /** One grader's scores on the discs it graded within {@code discs}. */
  static GraderScores scores(List<Scored> discs, Function<Scored, double[]> grader) {
    List<DiscClass> reference = new ArrayList<>();
    List<double[]> p = new ArrayList<>();
    for (Scored s : discs) {
      double[] v = grader.apply(s);
      if (v != null) {
        reference.add(s.reference());
        p.add(v);
      }
    }
    return GraderScores.of(reference, p);
  }

  /**
   * The weighted means {@code w * cnn + (1 - w) * trees}, w = 0, 0.1, ..., 1, on the discs of
   * {@code sequence} both graded: what a weighting would give against the mean (w = 0.5). Chosen
   * on the validation discs themselves, so the best weight's figures are optimistic.
   */
  public Map<String, Object> weighting(String sequence) {
    List<Scored> both = scored.stream().filter(s -> s.cnn() != null && s.trees() != null
        && s.image().source().sequence().equals(sequence)).toList();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("sequence", sequence);
    out.put("discs", both.size());
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int k = 0; k <= 10; k++) {
      double w = k / 10.0;
      GraderScores s = scores(both, d -> mix(d.cnn(), d.trees(), w));
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("cnn_weight", w);
      row.put("pfirrmann_exact", GraderScores.round(s.pfirrmannExact()));
      row.put("pfirrmann_within_one", GraderScores.round(s.pfirrmannWithinOne()));
      row.put("pfirrmann_balanced_accuracy", GraderScores.round(s.pfirrmannBalancedAccuracy()));
      row.put("pfirrmann_quadratic_weighted_kappa", GraderScores.round(s.pfirrmannKappa()));
      row.put("accuracy_11_class", GraderScores.round(s.accuracy11()));
      row.put("expected_calibration_error", GraderScores.round(s.ece()));
      rows.add(row);
    }
    out.put("weights", rows);
    return out;
  }

  private static double[] mix(double[] cnn, double[] trees, double w) {
    double[] out = new double[cnn.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = w * cnn[i] + (1 - w) * trees[i];
    }
    return out;
  }

  private static Map<String, Object> counts(List<ImageResult> in) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("images", in.size());
    c.put("images_failed", in.stream().filter(ImageResult::failed).count());
    c.put("patients", in.stream().map(r -> r.image().patient()).distinct().count());
    c.put("graded_discs", in.stream().mapToInt(r -> r.join().graded()).sum());
    c.put("discs_found", in.stream().mapToInt(r -> r.join().found()).sum());
    c.put("discs_joined", in.stream().mapToInt(r -> r.join().joined().size()).sum());
    c.put("graded_discs_missing", in.stream().mapToInt(r -> r.join().missing()).sum());
    c.put("found_discs_without_grade", in.stream().mapToInt(r -> r.join().ungraded()).sum());
    return c;
  }

  /** A readable table of the groups (one line per group and grader). */
  @SuppressWarnings("unchecked")
  public static String table(Map<String, Object> groups) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "%-34s %-8s %5s %6s %6s %6s %6s %6s %6s%n", "group", "grader", "n", "exact", "within1",
        "bal", "QWK", "acc11", "ECE"));
    groups.forEach((name, g) -> {
      Map<String, Object> group = (Map<String, Object>) g;
      for (String grader : GRADERS) {
        Map<String, Object> m = (Map<String, Object>) group.get(grader);
        sb.append(String.format(Locale.ROOT, "%-34s %-8s %5s %6s %6s %6s %6s %6s %6s%n", name,
            grader, m.get("n"), f(m.get("pfirrmann_exact")), f(m.get("pfirrmann_within_one")),
            f(m.get("pfirrmann_balanced_accuracy")),
            f(m.get("pfirrmann_quadratic_weighted_kappa")), f(m.get("accuracy_11_class")),
            f(m.get("expected_calibration_error"))));
      }
    });
    return sb.toString();
  }

  private static String f(Object v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.3f", (Double) v);
  }

  private static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}
