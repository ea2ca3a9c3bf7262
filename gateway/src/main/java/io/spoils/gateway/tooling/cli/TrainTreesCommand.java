package io.spoils.gateway.tooling.cli;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.geometry.SpineMeasurer;
import io.spoils.feature.tooling.trees.CrossValidationResult;
import io.spoils.feature.tooling.trees.GradingMetrics;
import io.spoils.feature.tooling.trees.SpiderTrainingSet;
import io.spoils.feature.tooling.trees.TrainingSample;
import io.spoils.feature.tooling.trees.TreesModelWriter;
import io.spoils.feature.tooling.trees.TreesTrainer;
import io.spoils.feature.tooling.trees.TreesTrainingConfig;
import io.spoils.feature.trees.ModelInfo;
import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.cli.AnalyzeCommand;
import io.spoils.gateway.tooling.GradedImages;
import io.spoils.gateway.tooling.ServedTrainingSet;
import io.spoils.gateway.tooling.ServingPath;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import ml.dmlc.xgboost4j.java.Booster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spoils train-trees}: derives the 11-class labels, cross-validates the disc-grading trees
 * by patient and writes the final model with its info, metrics and model card. Two sources of
 * geometry:
 * <ul>
 *   <li>{@code --midsag/--t2space --split}: the training patients' graded T2 images run through the
 *       serving path ({@link ServedTrainingSet}): the geometry the trees will see in serving,
 *       measured on the segmentation model's own output. Validation patients are never read.
 *   <li>{@code --data}: the spider-t2space centre slices measured on their reference masks
 *       ({@link SpiderTrainingSet}), all patients.
 * </ul>
 */
@Command(
    name = "train-trees",
    mixinStandardHelpOptions = true,
    description = "Train the disc-grading trees on geometry measured by the serving path on the "
        + "split's training patients (--midsag/--t2space --split), or on the spider-t2space "
        + "reference masks (--data), and write model.json, model-info.json, metrics.json and "
        + "MODEL_CARD.md.")
public final class TrainTreesCommand implements Callable<Integer> {
  /** Name recorded in model-info.json. */
  public static final String MODEL_NAME = "disc-grading-trees";
  /** Version recorded in model-info.json; bump when features or training change. */
  public static final String MODEL_VERSION = "2.3.0";

  @Spec private CommandSpec spec;

  @Option(names = "--data", description = "spider-t2space folder: train on its reference masks")
  private Path data;

  @Option(names = "--midsag", description = "spider-midsag folder (T2 TSE and T2 SPACE renders), "
      + "measured by the serving path")
  private Path midsag;

  @Option(names = "--t2space", description = "spider-t2space folder (T2 SPACE centre slices), "
      + "measured by the serving path")
  private Path t2space;

  @Option(names = "--split", description = "split.json: with --midsag/--t2space, train on its "
      + "\"train\" patients only")
  private Path split;

  @Option(names = "--models", paramLabel = "DIR", description = "Triton model repository of the "
      + "serving path (default: the repository's triton-models folder)")
  private Path models;

  @Option(names = "--out", required = true, description = "output directory for the model")
  private Path out;

  @Option(names = "--folds", defaultValue = "5", description = "cross-validation folds "
      + "(default ${DEFAULT-VALUE}); patients are never split across folds")
  private int folds;

  @Option(names = "--seed", defaultValue = "42", description = "seed of folds and XGBoost "
      + "(default ${DEFAULT-VALUE})")
  private long seed;

  @Override
  public Integer call() throws Exception {
    PrintWriter o = spec.commandLine().getOut();
    TreesTrainingConfig config = TreesTrainingConfig.defaults().withProtocol(folds, seed);
    boolean served = midsag != null || t2space != null;
    if (served == (data != null)) {
      throw new InvalidInputException("give either --data (reference masks) or --midsag/--t2space "
          + "with --split (the serving path's geometry)");
    }
    List<TrainingSample> samples;
    Map<String, Object> training;
    if (served) {
      if (split == null) {
        throw new InvalidInputException("--midsag/--t2space need --split");
      }
      Set<Integer> train = EvaluateGradingCommand.patients(split, "train");
      List<GradedImages.GradedImage> images = GradedImages.load(midsag, t2space, train);
      o.printf(Locale.ROOT, "serving path on %d graded T2 images of %d training patients%n",
          images.size(), train.size());
      ServedTrainingSet set;
      try (XgbTreeGrader shipped = XgbTreeGrader.loadDefault();
          ServingPath path = ServingPath.open(models != null ? models
              : AnalyzeCommand.defaultModels(), shipped)) {
        set = ServedTrainingSet.collect(path, images, split.getFileName().toString()
            + " (train patients only)", o);
      }
      samples = set.samples();
      training = set.training();
      o.printf(Locale.ROOT, "samples: %d of %s graded discs%n", samples.size(),
          training.get("graded_discs"));
      o.println("  " + training.get("notes"));
    } else {
      if (!data.toFile().isDirectory()) {
        throw new InvalidInputException("--data is not a directory");
      }
      SpiderTrainingSet set = SpiderTrainingSet.load(data, SpineMeasurer.standard());
      SpiderTrainingSet.Summary s = set.summary();
      o.printf(Locale.ROOT, "data: %d patients (%d measured), %d graded discs, %d matched%n",
          s.patients(), s.patientsUsed(), s.gradedDiscs(), s.matchedDiscs());
      s.notes().forEach(n -> o.println("  left out: " + n));
      samples = set.samples();
      training = s.toTrainingMap();
    }
    o.println("class counts: " + training.get("class_counts"));
    TreesTrainer trainer = new TreesTrainer(config);
    CrossValidationResult cv = trainer.crossValidate(samples);
    print(o, cv.pooled(), config.folds());
    ModelInfo info = ModelInfo.current(MODEL_NAME, MODEL_VERSION, config.describe(), training);
    Booster booster = trainer.train(samples);
    try {
      TreesModelWriter.write(out, booster, info, cv);
    } finally {
      booster.dispose();
    }
    o.println("wrote model.json, model-info.json, metrics.json, MODEL_CARD.md to " + out);
    return 0;
  }

  private static void print(PrintWriter o, GradingMetrics m, int folds) {
    o.printf(Locale.ROOT, "%d-fold patient-grouped CV (n=%d): accuracy %.3f, balanced accuracy "
        + "%.3f, Pfirrmann exact %.3f, within one %.3f%n", folds, m.n(), m.accuracy(),
        m.balancedAccuracy(), m.pfirrmannExact(), m.pfirrmannWithinOne());
  }
}
