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
 * <p>Grading runs in Java ({@link TreeEnsemble}, parsed from the booster's JSON once): XGBoost's
 * own contributions call computes all 11 classes natively and cost 2-3 ms per six discs, the Java
 * evaluation of the predicted class's TreeSHAP a few tens of microseconds. The booster is kept for
 * {@link #gradeAllNative}, the native reference the Java path is tested against.
 *
 * <p>Thread-safety: instances are safe to share between threads. {@link #gradeAll} is lock-free
 * (the ensemble is immutable); the native reference is serialised on the instance
 * ({@code synchronized}) because the JVM binding lets a booster be disposed while another thread
 * predicts. Checked by a concurrent-callers test.
 */
public final class XgbTreeGrader implements TreeGrader {
  /** Classpath directory of the default model. */
  public static final String DEFAULT_RESOURCE_DIR = "models/disc-grading-trees";
  public static final String MODEL_FILE = "model.json";
  public static final String INFO_FILE = "model-info.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Booster booster;
  private final ModelInfo info;
  private final TreeEnsemble ensemble;
  private volatile boolean closed;

  private XgbTreeGrader(Booster booster, ModelInfo info) {
    this.booster = booster;
    this.info = info;
    try {
      validate();
      // Six discs are far too little work to share: XGBoost's OpenMP pool would otherwise spin up
      // one thread per core for every call and dominate the latency (JMH: FeatureEngineBenchmark).
      booster.setParam("nthread", "1");
      this.ensemble = TreeEnsemble.parse(booster.toByteArray("json"));
      if (ensemble.classes() != DiscClass.values().length
          || ensemble.features() != DiscFeatures.COUNT) {
        throw new InvalidInputException("tree model has " + ensemble.classes() + " classes and "
            + ensemble.features() + " features");
      }
    } catch (InvalidInputException e) {
      booster.dispose();
      throw e;
    } catch (IOException | IllegalArgumentException e) {
      booster.dispose();
      throw new InvalidInputException("tree model cannot be evaluated: " + e.getMessage(), e);
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

  /**
   * Grades the discs with {@link TreeEnsemble}, the model evaluated in Java. Every disc must be
   * complete ({@link DiscFeatures#complete}), else IllegalArgumentException: margins and softmax
   * as XGBoost computes them, and TreeSHAP contributions for the predicted class only (XGBoost's
   * {@code predictContrib} computes all 11 classes and cost ~2-3 ms per six discs). Lock-free: the
   * ensemble is immutable.
   */
  @Override
  public List<TreeGrade> gradeAll(List<DiscGeometry> discs) {
    if (closed) {
      throw new IllegalStateException("tree grader is closed");
    }
    if (discs == null || discs.isEmpty()) {
      return List.of();
    }
    requireComplete(discs);
    float[] data = DiscFeatures.matrix(discs);
    List<TreeGrade> grades = new ArrayList<>(discs.size());
    for (int r = 0; r < discs.size(); r++) {
      int offset = r * DiscFeatures.COUNT;
      float[] margins = ensemble.margins(data, offset);
      float[] p = TreeEnsemble.softmax(margins);
      int best = argmax(p);
      grades.add(toGrade(discs.get(r), p, best, margins[best],
          ensemble.contributions(data, offset, best)));
    }
    return grades;
  }

  /**
   * The guard that keeps NaN away from the trees: a disc with an unmeasured feature is refused
   * (callers grade it by the CNN alone, see {@link DiscFeatures#complete}).
   *
   * @throws IllegalArgumentException naming the disc's level and its unmeasured features
   */
  public static void requireComplete(List<DiscGeometry> discs) {
    for (DiscGeometry d : discs) {
      List<String> missing = DiscFeatures.missing(d);
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException("disc " + d.level().displayName() + " has unmeasured "
            + "features " + missing + ": the trees grade only fully measured discs");
      }
    }
  }

  private static int argmax(float[] p) {
    int best = 0;
    for (int k = 1; k < p.length; k++) {
      if (p[k] > p[best]) {
        best = k;
      }
    }
    return best;
  }

  /** {@code contrib}: the predicted class's contributions, features then bias. */
  private static TreeGrade toGrade(DiscGeometry disc, float[] p, int best, float margin,
      float[] contrib) {
    double[] probabilities = normalised(p);
    Map<String, Double> byFeature = new LinkedHashMap<>();
    for (int f = 0; f < DiscFeatures.COUNT; f++) {
      byFeature.put(DiscFeatures.NAMES.get(f), (double) contrib[f]);
    }
    return new TreeGrade(disc.level(), probabilities, DiscClass.ofIndex(best), byFeature,
        contrib[DiscFeatures.COUNT], margin);
  }

  /**
   * The native library's answer for the same discs (three XGBoost calls: probabilities, margins,
   * all-class contributions), kept as the reference {@link #gradeAll} is tested against.
   */
  synchronized List<TreeGrade> gradeAllNative(List<DiscGeometry> discs) {
    if (closed) {
      throw new IllegalStateException("tree grader is closed");
    }
    requireComplete(discs);
    float[] data = DiscFeatures.matrix(discs);
    DMatrix matrix = null;
    try {
      matrix = new DMatrix(data, discs.size(), DiscFeatures.COUNT, Float.NaN);
      float[][] probabilities = booster.predict(matrix);
      float[][] margins = booster.predict(matrix, true);
      float[][] contributions = booster.predictContrib(matrix, 0);
      List<TreeGrade> grades = new ArrayList<>(discs.size());
      int stride = DiscFeatures.COUNT + 1;
      for (int r = 0; r < discs.size(); r++) {
        int best = argmax(probabilities[r]);
        float[] own = java.util.Arrays.copyOfRange(contributions[r], best * stride,
            (best + 1) * stride);
        grades.add(toGrade(discs.get(r), probabilities[r], best, margins[r][best], own));
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
    // gradeAllNative holds the lock while it uses the booster; gradeAll never touches it
    if (!closed) {
      closed = true;
      booster.dispose();
    }
  }
}
