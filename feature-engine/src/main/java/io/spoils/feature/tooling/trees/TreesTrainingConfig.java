package io.spoils.feature.tooling.trees;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.decision.DiscClass;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hyper-parameters and protocol of the disc-grading trees, sized for a few hundred discs.
 *
 * <p>Defaults ({@link #defaults()}), chosen for ~240 discs in 11 classes, several of them rare:
 * shallow trees ({@code max_depth 3}) and {@code min_child_weight 2} so a leaf cannot be fitted to
 * one or two discs; a small learning rate ({@code eta 0.05}) over {@code 150} rounds; row and column
 * subsampling 0.8 and L2 regularisation {@code lambda 2} against over-fitting; {@code nthread 1} and
 * a fixed seed so training is reproducible bit for bit.
 *
 * @param folds cross-validation folds, &gt;= 2 (patients are never split across folds)
 * @param seed seed of XGBoost's subsampling and of the fold assignment
 * @param rounds boosting rounds, &gt;= 1
 * @param maxDepth maximum tree depth, &gt;= 1
 * @param eta learning rate, (0, 1]
 * @param minChildWeight minimum summed sample weight (hessian) in a leaf, &gt;= 0
 * @param subsample row subsampling per tree, (0, 1]
 * @param colsampleByTree column subsampling per tree, (0, 1]
 * @param lambda L2 regularisation of leaf weights, &gt;= 0
 */
public record TreesTrainingConfig(
    int folds,
    long seed,
    int rounds,
    int maxDepth,
    double eta,
    double minChildWeight,
    double subsample,
    double colsampleByTree,
    double lambda) {

  public TreesTrainingConfig {
    if (folds < 2) {
      throw new InvalidInputException("folds must be at least 2, got " + folds);
    }
    if (rounds < 1 || maxDepth < 1) {
      throw new InvalidInputException("rounds and max depth must be at least 1");
    }
    if (!(eta > 0 && eta <= 1) || !(subsample > 0 && subsample <= 1)
        || !(colsampleByTree > 0 && colsampleByTree <= 1)) {
      throw new InvalidInputException("eta, subsample and colsample_bytree must be in (0, 1]");
    }
    if (!(minChildWeight >= 0) || !(lambda >= 0)) {
      throw new InvalidInputException("min_child_weight and lambda must be >= 0");
    }
  }

  /** The documented defaults with 5 folds and seed 42. */
  public static TreesTrainingConfig defaults() {
    return new TreesTrainingConfig(5, 42, 150, 3, 0.05, 2.0, 0.8, 0.8, 2.0);
  }

  /** The same parameters with another number of folds and seed. */
  public TreesTrainingConfig withProtocol(int newFolds, long newSeed) {
    return new TreesTrainingConfig(newFolds, newSeed, rounds, maxDepth, eta, minChildWeight,
        subsample, colsampleByTree, lambda);
  }

  /** XGBoost parameter map (multi:softprob, 11 classes). */
  public Map<String, Object> xgboostParams() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("objective", "multi:softprob");
    p.put("num_class", DiscClass.COUNT);
    p.put("eval_metric", "mlogloss");
    p.put("max_depth", maxDepth);
    p.put("eta", eta);
    p.put("min_child_weight", minChildWeight);
    p.put("subsample", subsample);
    p.put("colsample_bytree", colsampleByTree);
    p.put("lambda", lambda);
    p.put("tree_method", "exact");
    p.put("seed", seed);
    p.put("nthread", 1);
    p.put("verbosity", 0);
    return p;
  }

  /** Parameters as recorded in model-info.json and the model card (XGBoost's plus rounds). */
  public Map<String, Object> describe() {
    Map<String, Object> d = new LinkedHashMap<>(xgboostParams());
    d.put("num_boost_round", rounds);
    d.put("class_weighting", "sample weight = n / (classes present x class count)");
    return d;
  }
}
