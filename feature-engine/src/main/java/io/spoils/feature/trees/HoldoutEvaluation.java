package io.spoils.feature.trees;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.decision.DiscClass;
import io.spoils.feature.decision.EnsembleGrade;
import io.spoils.feature.decision.GradeEnsemble;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import ml.dmlc.xgboost4j.java.Booster;

/**
 * Grades held-out patients with the CNN, the trees and their mean, the way the pipeline combines
 * them ({@link GradeEnsemble}): the trees are trained on the training patients only, so no
 * validation disc is seen by either model during training.
 */
public final class HoldoutEvaluation {

  /**
   * Metrics of the three graders on the same discs.
   *
   * @param n discs evaluated (validation discs with a CNN prediction and a measured geometry)
   * @param unmatched validation discs with a geometry but no CNN prediction (left out)
   * @param cnn the CNN alone
   * @param trees the trees alone
   * @param ensemble the mean of both
   */
  public record Result(int n, int unmatched, GradingMetrics cnn, GradingMetrics trees,
      GradingMetrics ensemble) {}

  private HoldoutEvaluation() {}

  /**
   * Trains the trees on the samples whose group is not in {@code validationGroups} and evaluates
   * on the others.
   *
   * @param samples every labelled disc, {@link TrainingSample#disc()} set
   * @param validationGroups groups (patients) held out
   * @param cnnProbabilities CNN probabilities (11, DiscClass order) keyed by
   *     {@link #key(String, String)}
   */
  public static Result run(List<TrainingSample> samples, Set<String> validationGroups,
      Map<String, double[]> cnnProbabilities, TreesTrainingConfig config) {
    List<TrainingSample> train = new ArrayList<>();
    List<TrainingSample> validation = new ArrayList<>();
    samples.forEach(s -> (validationGroups.contains(s.group()) ? validation : train).add(s));
    if (train.isEmpty() || validation.isEmpty()) {
      throw new InvalidInputException("the split leaves no training or no validation disc");
    }
    Booster booster = new TreesTrainer(config).train(train);
    try (XgbTreeGrader grader = XgbTreeGrader.of(booster, ModelInfo.current("holdout", "0",
        config.describe(), Map.of()))) {
      return evaluate(validation, grader, cnnProbabilities);
    }
  }

  /** The join key of one disc. */
  public static String key(String group, String disc) {
    return group + "/" + disc;
  }

  private static Result evaluate(List<TrainingSample> validation, TreeGrader grader,
      Map<String, double[]> cnnProbabilities) {
    List<DiscClass> reference = new ArrayList<>();
    List<DiscClass> cnn = new ArrayList<>();
    List<DiscClass> trees = new ArrayList<>();
    List<DiscClass> mean = new ArrayList<>();
    int unmatched = 0;
    List<TreeGrade> grades = grader.gradeAll(validation.stream().map(TrainingSample::geometry)
        .toList());
    for (int i = 0; i < validation.size(); i++) {
      TrainingSample s = validation.get(i);
      double[] c = cnnProbabilities.get(key(s.group(), s.disc()));
      if (c == null) {
        unmatched++;
        continue;
      }
      EnsembleGrade cnnOnly = GradeEnsemble.combine(c, null).orElseThrow();
      EnsembleGrade both = GradeEnsemble.combine(c, grades.get(i).probabilities()).orElseThrow();
      reference.add(s.label());
      cnn.add(cnnOnly.discClass());
      trees.add(grades.get(i).predicted());
      mean.add(both.discClass());
    }
    if (reference.isEmpty()) {
      throw new InvalidInputException("no validation disc has a CNN prediction");
    }
    return new Result(reference.size(), unmatched, GradingMetrics.of(reference, cnn),
        GradingMetrics.of(reference, trees), GradingMetrics.of(reference, mean));
  }
}
