package io.spoils.gateway.cli;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.geometry.SpineMeasurer;
import io.spoils.feature.trees.CrossValidationResult;
import io.spoils.feature.trees.GradingMetrics;
import io.spoils.feature.trees.ModelInfo;
import io.spoils.feature.trees.SpiderTrainingSet;
import io.spoils.feature.trees.TreesModelWriter;
import io.spoils.feature.trees.TreesTrainer;
import io.spoils.feature.trees.TreesTrainingConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import ml.dmlc.xgboost4j.java.Booster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code spoils train-trees}: measures the SPIDER centre slices, derives the 11-class labels,
 * cross-validates the disc-grading trees by patient and writes the final model with its info,
 * metrics and model card.
 */
@Command(
    name = "train-trees",
    mixinStandardHelpOptions = true,
    description = "Train the disc-grading trees on a SPIDER-layout data directory (slices.csv, "
        + "series.csv, gradings.csv, masks/, images/) and write model.json, model-info.json, "
        + "metrics.json and MODEL_CARD.md.")
public final class TrainTreesCommand implements Callable<Integer> {
  /** Name recorded in model-info.json. */
  public static final String MODEL_NAME = "disc-grading-trees";
  /** Version recorded in model-info.json; bump when features or training change. */
  public static final String MODEL_VERSION = "1.0.0";

  @Spec private CommandSpec spec;

  @Option(names = "--data", required = true, description = "SPIDER-layout data directory")
  private Path data;

  @Option(names = "--out", required = true, description = "output directory for the model")
  private Path out;

  @Option(names = "--folds", defaultValue = "5", description = "cross-validation folds "
      + "(default ${DEFAULT-VALUE}); patients are never split across folds")
  private int folds;

  @Option(names = "--seed", defaultValue = "42", description = "seed of folds and XGBoost "
      + "(default ${DEFAULT-VALUE})")
  private long seed;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    TreesTrainingConfig config = TreesTrainingConfig.defaults().withProtocol(folds, seed);
    if (!data.toFile().isDirectory()) {
      throw new InvalidInputException("--data is not a directory");
    }
    SpiderTrainingSet set = SpiderTrainingSet.load(data, SpineMeasurer.standard());
    SpiderTrainingSet.Summary s = set.summary();
    o.printf(Locale.ROOT, "data: %d patients (%d measured), %d graded discs, %d matched%n",
        s.patients(), s.patientsUsed(), s.gradedDiscs(), s.matchedDiscs());
    s.notes().forEach(n -> o.println("  left out: " + n));
    o.println("class counts: " + s.classCounts());
    TreesTrainer trainer = new TreesTrainer(config);
    CrossValidationResult cv = trainer.crossValidate(set.samples());
    print(o, cv.pooled(), config.folds());
    ModelInfo info = ModelInfo.current(MODEL_NAME, MODEL_VERSION, config.describe(),
        s.toTrainingMap());
    Booster booster = trainer.train(set.samples());
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
