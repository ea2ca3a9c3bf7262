package io.spoils.feature.tooling.trees;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.spoils.feature.decision.DiscClass;
import io.spoils.feature.trees.ModelInfo;
import io.spoils.feature.trees.XgbTreeGrader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Writes a trained model directory: {@code model.json} (XGBoost JSON), {@code model-info.json}
 * ({@link ModelInfo}), {@code metrics.json} (cross-validation metrics) and {@code MODEL_CARD.md}.
 */
public final class TreesModelWriter {
  public static final String METRICS_FILE = "metrics.json";
  public static final String CARD_FILE = "MODEL_CARD.md";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private TreesModelWriter() {}

  /** Writes the four files into {@code dir} (created if needed), replacing existing ones. */
  public static void write(Path dir, Booster booster, ModelInfo info, CrossValidationResult cv) {
    try {
      Files.createDirectories(dir);
      booster.saveModel(dir.resolve(XgbTreeGrader.MODEL_FILE).toString());
      JSON.writeValue(dir.resolve(XgbTreeGrader.INFO_FILE).toFile(), info);
      JSON.writeValue(dir.resolve(METRICS_FILE).toFile(), metricsJson(cv));
      Files.writeString(dir.resolve(CARD_FILE), ModelCard.render(info, cv),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the model directory", e);
    } catch (XGBoostError e) {
      throw new IllegalStateException("cannot save the XGBoost model", e);
    }
  }

  /** The metrics.json document. */
  static Map<String, Object> metricsJson(CrossValidationResult cv) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("protocol", "patient-grouped " + cv.folds() + "-fold cross-validation, seed "
        + cv.seed() + "; pooled = all out-of-fold predictions");
    doc.put("class_order", DiscClass.labels());
    doc.put("pooled", metrics(cv.pooled()));
    List<Map<String, Object>> folds = new ArrayList<>();
    cv.perFold().forEach(m -> folds.add(metrics(m)));
    doc.put("per_fold", folds);
    return doc;
  }

  static Map<String, Object> metrics(GradingMetrics m) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("n", m.n());
    out.put("accuracy", round(m.accuracy()));
    out.put("balanced_accuracy", round(m.balancedAccuracy()));
    out.put("pfirrmann_exact", round(m.pfirrmannExact()));
    out.put("pfirrmann_within_one", round(m.pfirrmannWithinOne()));
    out.put("confusion_rows_reference_cols_predicted", m.confusion());
    return out;
  }

  static double round(double v) {
    return Math.round(v * 10000) / 10000.0;
  }
}
