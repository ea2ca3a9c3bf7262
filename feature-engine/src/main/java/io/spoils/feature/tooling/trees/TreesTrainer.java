package io.spoils.feature.tooling.trees;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.decision.DiscClass;
import io.spoils.feature.geometry.DiscGeometry;
import io.spoils.feature.trees.DiscFeatures;
import io.spoils.feature.trees.XgbTreeGrader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Trains the disc-grading trees: XGBoost multi:softprob over the 11 {@link DiscClass}es with
 * sample weights inverse to class frequency, patient-grouped k-fold cross-validation for the
 * metrics, then a final model on all discs. Deterministic for a given config and sample order.
 * Every sample must be {@link DiscFeatures#complete}: the trees never learn from a missing value
 * they will never be shown in serving.
 */
public final class TreesTrainer {
  private final TreesTrainingConfig config;

  public TreesTrainer(TreesTrainingConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  public TreesTrainingConfig config() {
    return config;
  }

  /**
   * Cross-validated metrics: each fold's model predicts the discs of patients it never saw; the
   * pooled out-of-fold predictions give the overall metrics.
   */
  public CrossValidationResult crossValidate(List<TrainingSample> samples) {
    requireSamples(samples);
    FoldAssignment folds = FoldAssignment.of(
        samples.stream().map(TrainingSample::group).toList(), config.folds(), config.seed());
    DiscClass[] outOfFold = new DiscClass[samples.size()];
    List<GradingMetrics> perFold = new ArrayList<>();
    for (int fold = 0; fold < config.folds(); fold++) {
      List<TrainingSample> train = new ArrayList<>();
      List<Integer> testIndex = new ArrayList<>();
      for (int i = 0; i < samples.size(); i++) {
        if (folds.foldOf(samples.get(i).group()) == fold) {
          testIndex.add(i);
        } else {
          train.add(samples.get(i));
        }
      }
      Booster booster = train(train);
      try {
        List<DiscGeometry> test = testIndex.stream().map(i -> samples.get(i).geometry()).toList();
        List<DiscClass> predicted = predict(booster, test);
        for (int j = 0; j < testIndex.size(); j++) {
          outOfFold[testIndex.get(j)] = predicted.get(j);
        }
        perFold.add(GradingMetrics.of(
            testIndex.stream().map(i -> samples.get(i).label()).toList(), predicted));
      } finally {
        booster.dispose();
      }
    }
    GradingMetrics pooled = GradingMetrics.of(
        samples.stream().map(TrainingSample::label).toList(), List.of(outOfFold));
    return new CrossValidationResult(config.folds(), config.seed(), pooled, perFold);
  }

  /** A model trained on all {@code samples}; the caller owns (and must dispose) the booster. */
  public Booster train(List<TrainingSample> samples) {
    requireSamples(samples);
    DMatrix matrix = null;
    try {
      matrix = new DMatrix(
          DiscFeatures.matrix(samples.stream().map(TrainingSample::geometry).toList()),
          samples.size(), DiscFeatures.COUNT, Float.NaN);
      float[] labels = new float[samples.size()];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = samples.get(i).label().ordinal();
      }
      matrix.setLabel(labels);
      matrix.setWeight(classWeights(samples));
      matrix.setFeatureNames(DiscFeatures.NAMES.toArray(String[]::new));
      return XGBoost.train(matrix, config.xgboostParams(), config.rounds(), Map.of(), null, null);
    } catch (XGBoostError e) {
      throw new IllegalStateException("XGBoost training failed", e);
    } finally {
      if (matrix != null) {
        matrix.dispose();
      }
    }
  }

  /**
   * Weights inverse to class frequency, {@code n / (classes present x count of the class)}, so every
   * present class carries the same total weight and the mean weight is 1.
   */
  static float[] classWeights(List<TrainingSample> samples) {
    Map<DiscClass, Integer> counts = new HashMap<>();
    for (TrainingSample s : samples) {
      counts.merge(s.label(), 1, Integer::sum);
    }
    float[] weights = new float[samples.size()];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = (float) samples.size()
          / (counts.size() * counts.get(samples.get(i).label()));
    }
    return weights;
  }

  private static List<DiscClass> predict(Booster booster, List<DiscGeometry> discs) {
    DMatrix matrix = null;
    try {
      matrix = new DMatrix(DiscFeatures.matrix(discs), discs.size(), DiscFeatures.COUNT,
          Float.NaN);
      float[][] p = booster.predict(matrix);
      List<DiscClass> classes = new ArrayList<>(p.length);
      for (float[] row : p) {
        int best = 0;
        for (int k = 1; k < row.length; k++) {
          best = row[k] > row[best] ? k : best;
        }
        classes.add(DiscClass.ofIndex(best));
      }
      return classes;
    } catch (XGBoostError e) {
      throw new IllegalStateException("XGBoost prediction failed", e);
    } finally {
      if (matrix != null) {
        matrix.dispose();
      }
    }
  }

  private static void requireSamples(List<TrainingSample> samples) {
    if (samples == null || samples.isEmpty()) {
      throw new InvalidInputException("no labelled discs to train on");
    }
    XgbTreeGrader.requireComplete(samples.stream().map(TrainingSample::geometry).toList());
  }
}
