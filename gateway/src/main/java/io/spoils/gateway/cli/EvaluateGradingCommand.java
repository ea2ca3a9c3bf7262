package io.spoils.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.spoils.feature.InvalidInputException;
import io.spoils.feature.decision.DiscClass;
import io.spoils.feature.geometry.SpineMeasurer;
import io.spoils.feature.trees.GradingMetrics;
import io.spoils.feature.trees.HoldoutEvaluation;
import io.spoils.feature.trees.SpiderTrainingSet;
import io.spoils.feature.trees.TreesTrainingConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spoils evaluate-grading}: the validation-patient figures of the CNN, the trees and their
 * mean on the same discs. The trees are retrained on the split's training patients for this (the
 * shipped trees model has seen every patient); the CNN's probabilities come from its evaluation
 * ({@code triton-models/disc_grading/validation_predictions.json}).
 */
@Command(
    name = "evaluate-grading",
    mixinStandardHelpOptions = true,
    description = "Evaluate the CNN, the trees and their mean on the validation patients of a "
        + "fixed split (trees retrained on the training patients only).")
public final class EvaluateGradingCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  @Spec private CommandSpec spec;

  @Option(names = "--data", required = true, description = "SPIDER-layout data directory")
  private Path data;

  @Option(names = "--split", required = true,
      description = "split.json with \"train\" and \"validation\" patient lists")
  private Path split;

  @Option(names = "--cnn", required = true, description = "the CNN's validation_predictions.json")
  private Path cnn;

  @Option(names = "--out", description = "write the metrics as JSON to this file")
  private Path out;

  @Override
  public Integer call() throws IOException {
    Set<String> validation = validationPatients(readJson(split, "--split"));
    Map<String, double[]> cnnProbabilities = cnnProbabilities(readJson(cnn, "--cnn"));
    SpiderTrainingSet set = SpiderTrainingSet.load(data, SpineMeasurer.standard());
    HoldoutEvaluation.Result r = HoldoutEvaluation.run(set.samples(), validation,
        cnnProbabilities, TreesTrainingConfig.defaults());
    PrintWriter o = spec.commandLine().getOut();
    o.printf(Locale.ROOT, "validation discs: %d (%d without a CNN prediction left out)%n", r.n(),
        r.unmatched());
    o.println("grader     accuracy  balanced  Pfirrmann-exact  within-one");
    row(o, "cnn", r.cnn());
    row(o, "trees", r.trees());
    row(o, "mean", r.ensemble());
    if (out != null) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("discs", r.n());
      m.put("unmatched", r.unmatched());
      m.put("cnn", asMap(r.cnn()));
      m.put("trees", asMap(r.trees()));
      m.put("ensemble_mean", asMap(r.ensemble()));
      JSON.writeValue(out.toFile(), m);
    }
    return 0;
  }

  private static void row(PrintWriter o, String name, GradingMetrics m) {
    o.printf(Locale.ROOT, "%-9s  %8.3f  %8.3f  %15.3f  %10.3f%n", name, m.accuracy(),
        m.balancedAccuracy(), m.pfirrmannExact(), m.pfirrmannWithinOne());
  }

  private static Map<String, Object> asMap(GradingMetrics m) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("accuracy", m.accuracy());
    out.put("balanced_accuracy", m.balancedAccuracy());
    out.put("pfirrmann_exact", m.pfirrmannExact());
    out.put("pfirrmann_within_one", m.pfirrmannWithinOne());
    out.put("confusion_rows_reference", m.confusion());
    return out;
  }

  private static JsonNode readJson(Path file, String option) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(option + " is not a file");
    }
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new InvalidInputException(option + " is not readable JSON");
    }
  }

  private static Set<String> validationPatients(JsonNode split) {
    JsonNode list = split.path("validation");
    if (!list.isArray() || list.isEmpty()) {
      throw new InvalidInputException("--split has no \"validation\" patient list");
    }
    Set<String> out = new HashSet<>();
    list.forEach(p -> out.add(Integer.toString(p.asInt())));
    return out;
  }

  private static Map<String, double[]> cnnProbabilities(JsonNode root) {
    List<String> classes = JSON.convertValue(root.path("classes"),
        JSON.getTypeFactory().constructCollectionType(List.class, String.class));
    if (!DiscClass.labels().equals(classes)) {
      throw new InvalidInputException("--cnn classes are not in the order 1L..5H");
    }
    Map<String, double[]> out = new HashMap<>();
    for (JsonNode d : root.path("discs")) {
      double[] p = new double[DiscClass.COUNT];
      JsonNode probabilities = d.path("probabilities");
      if (probabilities.size() != DiscClass.COUNT) {
        throw new InvalidInputException("--cnn has a disc without 11 probabilities");
      }
      for (int k = 0; k < p.length; k++) {
        p[k] = probabilities.get(k).asDouble();
      }
      out.put(HoldoutEvaluation.key(Integer.toString(d.path("patient").asInt()),
          Integer.toString(d.path("ivd_label").asInt())), p);
    }
    return out;
  }
}
