package io.spoils.gateway.tooling.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.spoils.feature.InvalidInputException;
import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.tooling.GradedImages;
import io.spoils.gateway.tooling.GradingEvaluation;
import io.spoils.gateway.tooling.ServingPath;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spoils evaluate-grading}: the validation patients' graded T2 images (spider-midsag T2 TSE
 * and T2 SPACE renders, spider-t2space centre slices) run through the serving path
 * ({@link ServingPath}: segmentation, levels, geometry, CNN, trees, ensemble), joined to the
 * radiologists' grades by level, and scored per sequence, source, vendor and field strength for
 * the CNN, the trees and the ensemble ({@link GradingEvaluation}). The trees are the shipped
 * model, or {@code --trees DIR}; their model-info says whether they were fitted on the split's
 * training patients only (train-trees --split does that).
 */
@Command(
    name = "evaluate-grading",
    mixinStandardHelpOptions = true,
    description = "Evaluate the CNN, the trees and the ensemble through the serving path on the "
        + "validation patients' graded T2 images; per sequence, vendor and field strength.")
public final class EvaluateGradingCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);
  /** Where the figures are written by default, inside the model repository. */
  static final String DEFAULT_OUT = "evaluation/grading-ensemble.json";

  @Spec private CommandSpec spec;

  @Option(names = "--midsag", description = "spider-midsag folder (T2 TSE and T2 SPACE renders)")
  private Path midsag;

  @Option(names = "--t2space", description = "spider-t2space folder (T2 SPACE centre slices)")
  private Path t2space;

  @Mixin private EvaluationOptions common;

  @Option(names = "--trees", paramLabel = "DIR",
      description = "tree model directory (default: the shipped model)")
  private Path trees;

  @Override
  public Integer call() throws Exception {
    if (midsag == null && t2space == null) {
      throw new InvalidInputException("give --midsag, --t2space or both");
    }
    Set<Integer> validation = common.validation();
    List<GradedImages.GradedImage> images = GradedImages.load(midsag, t2space, validation);
    if (images.isEmpty()) {
      throw new InvalidInputException("no graded T2 image of a validation patient was found");
    }
    Path repository = common.repository();
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    GradingEvaluation evaluation = new GradingEvaluation();
    Map<String, Object> report = new LinkedHashMap<>();
    try (XgbTreeGrader grader = trees == null ? XgbTreeGrader.loadDefault()
        : XgbTreeGrader.load(trees); ServingPath path = ServingPath.open(repository, grader)) {
      List<String> modelNames = List.of();
      for (int i = 0; i < images.size(); i++) {
        ServingPath.Analysis a = path.analyse(images.get(i));
        evaluation.add(images.get(i), a);
        if (!a.models().isEmpty()) {
          modelNames = a.models().stream().map(m -> m.name() + " " + m.version() + " ("
              + m.role().name().toLowerCase(Locale.ROOT) + ")").toList();
        }
        if ((i + 1) % 10 == 0 || i + 1 == images.size()) {
          err.printf(Locale.ROOT, "%d/%d images%n", i + 1, images.size());
          err.flush();
        }
      }
      report.put("description", "Pfirrmann and 11-class figures of the CNN, the trees and "
          + "their ensemble (as served) on the validation patients' graded T2 images, run "
          + "through the serving path (bin/spoils evaluate-grading). Pfirrmann grade = the grade "
          + "whose classes' probabilities sum highest; 11-class = top class; calibration = "
          + "expected calibration error of the top 11-class probability, 10 bins. Discs are "
          + "joined to the grades by level (ivd_label 1 = L5-S1 ... 6 = T12-L1).");
      report.put("data", "SPIDER (van der Graaf et al., Sci Data 11:264, 2024), CC BY 4.0");
      report.put("split", common.split.toString());
      report.put("validation_patients", validation.size());
      report.put("models", modelNames);
      report.put("trees_training", grader.info().training().getOrDefault("split",
          "not recorded: the trees may have seen validation patients"));
    }
    Map<String, Object> groups = evaluation.groups();
    report.put("groups", groups);
    report.put("ensemble_weighting_t2_tse", evaluation.weighting("T2 TSE"));
    report.put("ensemble_weighting_t2_space", evaluation.weighting("T2 SPACE"));
    o.print(GradingEvaluation.table(groups));
    common.write(report, DEFAULT_OUT, o);
    return 0;
  }

  /** The patient list {@code key} of a split file. */
  static Set<Integer> patients(Path file, String key) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException("--split is not a file");
    }
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new InvalidInputException("--split is not readable JSON");
    }
    JsonNode list = root.path(key);
    if (!list.isArray() || list.isEmpty()) {
      throw new InvalidInputException("--split has no \"" + key + "\" patient list");
    }
    Set<Integer> out = new TreeSet<>();
    list.forEach(p -> out.add(p.asInt()));
    return out;
  }
}
