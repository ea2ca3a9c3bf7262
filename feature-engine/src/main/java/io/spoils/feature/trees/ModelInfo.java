package io.spoils.feature.trees;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * Contents of {@code model-info.json}, written next to {@code model.json}: what the model is and
 * the contract it was trained under.
 *
 * @param name model name, e.g. {@code disc-grading-trees}
 * @param version model version (date-free semantic version)
 * @param featureNames input columns, must equal {@link DiscFeatures#NAMES}
 * @param classOrder output order, must equal {@link io.spoils.feature.decision.DiscClass#labels()}
 * @param hyperParameters XGBoost parameters and number of rounds used for training
 * @param training training data summary (data set, patients, discs, class counts, CV protocol)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelInfo(
    String name,
    String version,
    List<String> featureNames,
    List<String> classOrder,
    Map<String, Object> hyperParameters,
    Map<String, Object> training) {

  public ModelInfo {
    featureNames = featureNames == null ? List.of() : List.copyOf(featureNames);
    classOrder = classOrder == null ? List.of() : List.copyOf(classOrder);
    hyperParameters = ordered(hyperParameters);
    training = ordered(training);
  }

  /**
   * Info for a model trained by this build: feature names and class order are taken from
   * {@link DiscFeatures#NAMES} and {@link io.spoils.feature.decision.DiscClass#labels()}.
   */
  public static ModelInfo current(String name, String version, Map<String, Object> hyperParameters,
      Map<String, Object> training) {
    return new ModelInfo(name, version, DiscFeatures.NAMES,
        io.spoils.feature.decision.DiscClass.labels(), hyperParameters, training);
  }

  // Keeps the insertion order so the JSON file reads in a stable, meaningful order.
  private static Map<String, Object> ordered(Map<String, Object> map) {
    return map == null ? Map.of()
        : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(map));
  }
}
