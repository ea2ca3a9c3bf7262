package io.spoils.feature.trees;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An XGBoost multi-class tree ensemble ({@code multi:softprob}, numerical splits) evaluated in
 * Java: margins, softmax probabilities and exact TreeSHAP contributions for one class. It is read
 * from XGBoost's JSON model and follows XGBoost's own CPU code step by step in float32 (tree
 * traversal: {@code x < split} goes left, missing values take the default branch; margins summed
 * tree by tree onto the base score; TreeSHAP as in {@code RegTree::TreeShap} with node covers from
 * {@code sum_hessian}), so its values equal XGBoost's up to float rounding in a different summation
 * order (checked against the native library by {@code TreeEnsembleTest}).
 *
 * <p>Why: XGBoost computes contributions for all 11 classes in every call and its native call
 * overhead dominates six-disc batches (~2-3 ms per study); the grade needs the contributions of the
 * predicted class only. Immutable and thread-safe.
 */
final class TreeEnsemble {
  private final Tree[] trees;
  private final int classes;
  private final int features;
  private final float baseScore;

  private TreeEnsemble(Tree[] trees, int classes, int features, float baseScore) {
    this.trees = trees;
    this.classes = classes;
    this.features = features;
    this.baseScore = baseScore;
  }

  /**
   * Parses an XGBoost JSON model.
   *
   * @throws IllegalArgumentException for a model this class cannot evaluate (other objective,
   *     categorical splits, vector base score)
   */
  static TreeEnsemble parse(byte[] json) throws IOException {
    JsonNode learner = new ObjectMapper().readTree(json).path("learner");
    String objective = learner.path("objective").path("name").asText();
    if (!"multi:softprob".equals(objective) && !"multi:softmax".equals(objective)) {
      throw new IllegalArgumentException("tree model objective " + objective
          + " is not multi-class softmax");
    }
    JsonNode param = learner.path("learner_model_param");
    int classes = Integer.parseInt(param.path("num_class").asText());
    int features = Integer.parseInt(param.path("num_feature").asText());
    float base = Float.parseFloat(param.path("base_score").asText().replace("[", "")
        .replace("]", ""));
    JsonNode model = learner.path("gradient_booster").path("model");
    JsonNode info = model.path("tree_info");
    List<Tree> trees = new ArrayList<>();
    int i = 0;
    for (JsonNode t : model.path("trees")) {
      trees.add(Tree.of(t, info.get(i++).asInt()));
    }
    return new TreeEnsemble(trees.toArray(Tree[]::new), classes, features, base);
  }

  int classes() {
    return classes;
  }

  int features() {
    return features;
  }

  /** Margins of one row: base score plus every tree's leaf, per class, summed in tree order. */
  float[] margins(float[] row, int offset) {
    float[] out = new float[classes];
    java.util.Arrays.fill(out, baseScore);
    for (Tree t : trees) {
      out[t.group] += t.leafValue[t.leaf(row, offset)];
    }
    return out;
  }

  /** XGBoost's softmax of the margins (float32, sum in float64). */
  static float[] softmax(float[] margins) {
    float max = margins[0];
    for (float m : margins) {
      max = Math.max(max, m);
    }
    float[] p = new float[margins.length];
    double sum = 0;
    for (int k = 0; k < p.length; k++) {
      p[k] = (float) Math.exp(margins[k] - max);
      sum += p[k];
    }
    for (int k = 0; k < p.length; k++) {
      p[k] /= (float) sum;
    }
    return p;
  }

  /**
   * TreeSHAP contributions of one row toward class {@code group}: {@code features + 1} values, the
   * last one the bias (expected margin: base score plus every tree's cover-weighted mean leaf).
   */
  float[] contributions(float[] row, int offset, int group) {
    float[] phi = new float[features + 1];
    float[] treePhi = new float[features + 1];
    for (Tree t : trees) {
      if (t.group == group) {
        java.util.Arrays.fill(treePhi, 0f);
        t.shap(row, offset, treePhi);
        for (int f = 0; f <= features; f++) {
          phi[f] += treePhi[f];
        }
      }
    }
    phi[features] += baseScore;
    return phi;
  }

  /** One regression tree as XGBoost stores it (node arrays, -1 children for leaves). */
  private static final class Tree {
    final int group;
    final int[] left;
    final int[] right;
    final int[] feature;
    final float[] split;
    final boolean[] defaultLeft;
    final float[] cover;
    final float[] leafValue;
    final float meanValue;
    final int maxDepth;

    private Tree(int group, int[] left, int[] right, int[] feature, float[] split,
        boolean[] defaultLeft, float[] cover) {
      this.group = group;
      this.left = left;
      this.right = right;
      this.feature = feature;
      this.split = split;
      this.defaultLeft = defaultLeft;
      this.cover = cover;
      this.leafValue = split;
      this.meanValue = mean(0);
      this.maxDepth = depth(0);
    }

    static Tree of(JsonNode t, int group) {
      int n = t.path("left_children").size();
      for (JsonNode type : t.path("split_type")) {
        if (type.asInt() != 0) {
          throw new IllegalArgumentException("categorical splits are not supported");
        }
      }
      int[] left = new int[n];
      int[] right = new int[n];
      int[] feature = new int[n];
      float[] split = new float[n];
      boolean[] defaultLeft = new boolean[n];
      float[] cover = new float[n];
      for (int i = 0; i < n; i++) {
        left[i] = t.path("left_children").get(i).asInt();
        right[i] = t.path("right_children").get(i).asInt();
        feature[i] = t.path("split_indices").get(i).asInt();
        split[i] = (float) t.path("split_conditions").get(i).asDouble();
        defaultLeft[i] = t.path("default_left").get(i).asInt() != 0;
        cover[i] = (float) t.path("sum_hessian").get(i).asDouble();
      }
      return new Tree(group, left, right, feature, split, defaultLeft, cover);
    }

    boolean isLeaf(int node) {
      return left[node] == -1;
    }

    /** The child x follows at an inner node (XGBoost's GetNextNode for numerical splits). */
    int next(int node, float x) {
      if (Float.isNaN(x)) {
        return defaultLeft[node] ? left[node] : right[node];
      }
      return x < split[node] ? left[node] : right[node];
    }

    int leaf(float[] row, int offset) {
      int node = 0;
      while (!isLeaf(node)) {
        node = next(node, row[offset + feature[node]]);
      }
      return node;
    }

    /** Cover-weighted mean leaf value below a node (XGBoost's FillNodeMeanValue). */
    private float mean(int node) {
      if (isLeaf(node)) {
        return leafValue[node];
      }
      float r = mean(left[node]) * cover[left[node]];
      r += mean(right[node]) * cover[right[node]];
      return r / cover[node];
    }

    private int depth(int node) {
      return isLeaf(node) ? 0 : 1 + Math.max(depth(left[node]), depth(right[node]));
    }

    void shap(float[] row, int offset, float[] phi) {
      phi[phi.length - 1] += meanValue;
      int maxd = maxDepth + 2;
      Path path = new Path((maxd * (maxd + 1)) / 2);
      shap(row, offset, phi, 0, 0, path, 0, 1f, 1f, -1);
    }

    /** RegTree::TreeShap without conditioning; the path of depth d starts at {@code at}. */
    private void shap(float[] row, int offset, float[] phi, int node, int depth, Path p, int at,
        float parentZero, float parentOne, int parentFeature) {
      int here = at + depth + 1;
      p.copy(at, here, depth + 1);
      p.extend(here, depth, parentZero, parentOne, parentFeature);
      if (isLeaf(node)) {
        for (int i = 1; i <= depth; i++) {
          float w = p.unwoundSum(here, depth, i);
          phi[p.feature[here + i]] += w * (p.one[here + i] - p.zero[here + i]) * leafValue[node];
        }
        return;
      }
      int f = feature[node];
      int hot = next(node, row[offset + f]);
      int cold = hot == left[node] ? right[node] : left[node];
      float w = cover[node];
      float hotZero = cover[hot] / w;
      float coldZero = cover[cold] / w;
      float incomingZero = 1;
      float incomingOne = 1;
      int index = 0;
      while (index <= depth && p.feature[here + index] != f) {
        index++;
      }
      if (index != depth + 1) {
        incomingZero = p.zero[here + index];
        incomingOne = p.one[here + index];
        p.unwind(here, depth, index);
        depth -= 1;
      }
      shap(row, offset, phi, hot, depth + 1, p, here, hotZero * incomingZero, incomingOne, f);
      shap(row, offset, phi, cold, depth + 1, p, here, coldZero * incomingZero, 0, f);
    }
  }

  /** TreeSHAP's path elements, stacked level by level in one set of arrays. */
  private static final class Path {
    final int[] feature;
    final float[] zero;
    final float[] one;
    final float[] weight;

    Path(int size) {
      feature = new int[size];
      zero = new float[size];
      one = new float[size];
      weight = new float[size];
    }

    void copy(int from, int to, int n) {
      System.arraycopy(feature, from, feature, to, n);
      System.arraycopy(zero, from, zero, to, n);
      System.arraycopy(one, from, one, to, n);
      System.arraycopy(weight, from, weight, to, n);
    }

    void extend(int at, int depth, float zeroFraction, float oneFraction, int featureIndex) {
      feature[at + depth] = featureIndex;
      zero[at + depth] = zeroFraction;
      one[at + depth] = oneFraction;
      weight[at + depth] = depth == 0 ? 1f : 0f;
      for (int i = depth - 1; i >= 0; i--) {
        weight[at + i + 1] += oneFraction * weight[at + i] * (i + 1) / (float) (depth + 1);
        weight[at + i] = zeroFraction * weight[at + i] * (depth - i) / (float) (depth + 1);
      }
    }

    void unwind(int at, int depth, int index) {
      float oneFraction = one[at + index];
      float zeroFraction = zero[at + index];
      float nextOne = weight[at + depth];
      for (int i = depth - 1; i >= 0; --i) {
        if (oneFraction != 0) {
          float tmp = weight[at + i];
          weight[at + i] = nextOne * (depth + 1) / ((i + 1) * oneFraction);
          nextOne = tmp - weight[at + i] * zeroFraction * (depth - i) / (float) (depth + 1);
        } else {
          weight[at + i] = (weight[at + i] * (depth + 1)) / (zeroFraction * (depth - i));
        }
      }
      for (int i = index; i < depth; ++i) {
        feature[at + i] = feature[at + i + 1];
        zero[at + i] = zero[at + i + 1];
        one[at + i] = one[at + i + 1];
      }
    }

    float unwoundSum(int at, int depth, int index) {
      float oneFraction = one[at + index];
      float zeroFraction = zero[at + index];
      float nextOne = weight[at + depth];
      float total = 0;
      for (int i = depth - 1; i >= 0; --i) {
        if (oneFraction != 0) {
          float tmp = nextOne * (depth + 1) / ((i + 1) * oneFraction);
          total += tmp;
          nextOne = weight[at + i] - tmp * zeroFraction * ((depth - i) / (float) (depth + 1));
        } else if (zeroFraction != 0) {
          total += (weight[at + i] / zeroFraction) / ((depth - i) / (float) (depth + 1));
        }
      }
      return total;
    }
  }
}
