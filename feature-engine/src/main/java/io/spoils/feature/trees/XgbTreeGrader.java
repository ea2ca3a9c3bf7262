package io.spoils.feature.trees;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.spoils.feature.InvalidInputException;
import io.spoils.feature.decision.DiscClass;
import io.spoils.feature.geometry.DiscGeometry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * {@link TreeGrader} on XGBoost4J. Loads {@code model.json} (XGBoost JSON format, multi:softprob
 * with 11 classes) and {@code model-info.json} from a directory or from the classpath default
 * {@value #DEFAULT_RESOURCE_DIR}, and refuses a model whose feature names or class order differ
 * from {@link DiscFeatures#NAMES} and {@link DiscClass#labels()}.
 *
 * <p>Thread-safety: instances are safe to share between threads. XGBoost (since 1.4) documents
 * prediction with tree models as thread safe, but the JVM binding gives no such promise for
 * {@code predictContrib} and lets a booster be disposed while another thread predicts, so every
 * native call here is serialised on the instance ({@code synchronized}). Grading one study (a
 * dozen discs) is far below a millisecond, so the lock does not limit throughput; a caller that
 * needs parallel grading can load one grader per thread. Checked by a concurrent-callers test.
 */
public final class XgbTreeGrader implements TreeGrader {
  /** Classpath directory of the default model. */
  public static final String DEFAULT_RESOURCE_DIR = "models/disc-grading-trees";
  public static final String MODEL_FILE = "model.json";
  public static final String INFO_FILE = "model-info.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Booster booster;
  private final ModelInfo info;
  private boolean closed;

  private XgbTreeGrader(Booster booster, ModelInfo info) {
    this.booster = booster;
    this.info = info;
    try {
      validate();
      // Six discs are far too little work to share: XGBoost's OpenMP pool would otherwise spin up
      // one thread per core for every call and dominate the latency (JMH: FeatureEngineBenchmark).
      booster.setParam("nthread", "1");
    } catch (XGBoostError e) {
      booster.dispose();
      throw new IllegalStateException("tree model cannot be configured", e);
    } catch (RuntimeException e) {
      booster.dispose();
      throw e;
    }
  }

  /** A grader over an already trained booster (taken over: closing the grader disposes it). */
  public static XgbTreeGrader of(Booster booster, ModelInfo info) {
    return new XgbTreeGrader(Objects.requireNonNull(booster, "booster"),
        Objects.requireNonNull(info, "info"));
  }

  /** Loads {@code dir/model.json} and {@code dir/model-info.json}. */
  public static XgbTreeGrader load(Path dir) {
    Path model = dir.resolve(MODEL_FILE);
    Path infoFile = dir.resolve(INFO_FILE);
    if (!Files.isRegularFile(model) || !Files.isRegularFile(infoFile)) {
      throw new InvalidInputException("tree model directory must hold " + MODEL_FILE + " and "
          + INFO_FILE);
    }
    try {
      ModelInfo info = JSON.readValue(infoFile.toFile(), ModelInfo.class);
      return new XgbTreeGrader(XGBoost.loadModel(model.toString()), info);
    } catch (IOException e) {
      throw new InvalidInputException("tree model info is not readable JSON", e);
    } catch (XGBoostError e) {
      throw new InvalidInputException("tree model is not a readable XGBoost model", e);
    }
  }

  /** Loads the model shipped on the classpath under {@value #DEFAULT_RESOURCE_DIR}. */
  public static XgbTreeGrader loadDefault() {
    ClassLoader loader = XgbTreeGrader.class.getClassLoader();
    try (InputStream model = loader.getResourceAsStream(DEFAULT_RESOURCE_DIR + "/" + MODEL_FILE);
        InputStream infoIn = loader.getResourceAsStream(DEFAULT_RESOURCE_DIR + "/" + INFO_FILE)) {
      if (model == null || infoIn == null) {
        throw new IllegalStateException("default tree model is not on the classpath");
      }
      ModelInfo info = JSON.readValue(infoIn, ModelInfo.class);
      return new XgbTreeGrader(XGBoost.loadModel(model.readAllBytes()), info);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the default tree model", e);
    } catch (XGBoostError e) {
      throw new IllegalStateException("default tree model cannot be loaded", e);
    }
  }

  @Override
  public ModelInfo info() {
    return info;
  }

  @Override
  public TreeGrade grade(DiscGeometry disc) {
    return gradeAll(List.of(Objects.requireNonNull(disc, "disc"))).get(0);
  }

  @Override
  public synchronized List<TreeGrade> gradeAll(List<DiscGeometry> discs) {
    if (closed) {
      throw new IllegalStateException("tree grader is closed");
    }
    if (discs == null || discs.isEmpty()) {
      return List.of();
    }
    float[] data = DiscFeatures.matrix(discs);
    DMatrix matrix = null;
    try {
      matrix = new DMatrix(data, discs.size(), DiscFeatures.COUNT, Float.NaN);
      float[][] probabilities = booster.predict(matrix);
      float[][] margins = booster.predict(matrix, true);
      float[][] contributions = booster.predictContrib(matrix, 0);
      List<TreeGrade> grades = new ArrayList<>(discs.size());
      for (int r = 0; r < discs.size(); r++) {
        grades.add(toGrade(discs.get(r), probabilities[r], margins[r], contributions[r]));
      }
      return grades;
    } catch (XGBoostError e) {
      throw new IllegalStateException("tree model prediction failed", e);
    } finally {
      if (matrix != null) {
        matrix.dispose();
      }
    }
  }

  // predictContrib lays out a softprob row class-major: (features + bias) values per class.
  private static TreeGrade toGrade(DiscGeometry disc, float[] p, float[] margin, float[] contrib) {
    double[] probabilities = normalised(p);
    int best = 0;
    for (int k = 1; k < probabilities.length; k++) {
      if (probabilities[k] > probabilities[best]) {
        best = k;
      }
    }
    int stride = DiscFeatures.COUNT + 1;
    Map<String, Double> byFeature = new LinkedHashMap<>();
    for (int f = 0; f < DiscFeatures.COUNT; f++) {
      byFeature.put(DiscFeatures.NAMES.get(f), (double) contrib[best * stride + f]);
    }
    double bias = contrib[best * stride + DiscFeatures.COUNT];
    return new TreeGrade(disc.level(), probabilities, DiscClass.ofIndex(best), byFeature, bias,
        margin[best]);
  }

  // float32 softmax sums to 1 only within ~1e-7; renormalise in double so consumers can rely on it.
  private static double[] normalised(float[] p) {
    double sum = 0;
    for (float v : p) {
      sum += v;
    }
    double[] out = new double[p.length];
    for (int k = 0; k < p.length; k++) {
      out[k] = p[k] / sum;
    }
    return out;
  }

  private void validate() {
    if (!DiscFeatures.NAMES.equals(info.featureNames())) {
      throw new InvalidInputException("tree model feature names differ from this build's features");
    }
    if (!DiscClass.labels().equals(info.classOrder())) {
      throw new InvalidInputException("tree model class order differs from 1L..5H");
    }
    try {
      if (booster.getNumFeature() != DiscFeatures.COUNT) {
        throw new InvalidInputException("tree model expects " + booster.getNumFeature()
            + " features, this build has " + DiscFeatures.COUNT);
      }
    } catch (XGBoostError e) {
      throw new IllegalStateException("tree model cannot be inspected", e);
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      booster.dispose();
    }
  }
}
