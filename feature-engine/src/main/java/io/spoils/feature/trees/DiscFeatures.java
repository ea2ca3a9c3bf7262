package io.spoils.feature.trees;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.geometry.DiscGeometry;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The feature vector the disc-grading trees use, built from one {@link DiscGeometry}. The names and
 * their order are part of the model file contract: {@code model-info.json} lists them and a model
 * whose list differs is refused at load time.
 *
 * <p>Absolute signal values and image positions are left out on purpose: SPIDER's images are 8-bit
 * windowed renders, so only intensity ratios carry meaning, and centroids depend on the field of
 * view. Unmeasurable values ({@link Double#NaN}, infinities) become {@link Float#NaN}.
 *
 * <p>The trees grade only complete discs ({@link #complete}): a disc with an unmeasured feature
 * (a partial disc, whose shape is not measured, or a missing neighbour) never reaches them, in
 * training or in serving, so XGBoost's default branches for missing values are never taken on a
 * value the model did not learn from. Such a disc is graded by the CNN alone.
 */
public final class DiscFeatures {

  private record Feature(String name, ToDoubleFunction<DiscGeometry> value) {}

  private static final List<Feature> FEATURES = List.of(
      new Feature("anterior_height_mm", DiscGeometry::anteriorHeightMm),
      new Feature("central_height_mm", DiscGeometry::centralHeightMm),
      new Feature("posterior_height_mm", DiscGeometry::posteriorHeightMm),
      new Feature("average_height_mm", DiscGeometry::averageHeightMm),
      new Feature("average_width_mm", DiscGeometry::averageWidthMm),
      new Feature("mid_width_mm", DiscGeometry::midWidthMm),
      new Feature("area_mm2", DiscGeometry::areaMm2),
      new Feature("height_index", DiscGeometry::heightIndex),
      new Feature("height_to_width", g -> g.averageHeightMm() / g.averageWidthMm()),
      new Feature("posterior_to_anterior_height", g -> g.posteriorHeightMm()
          / g.anteriorHeightMm()),
      new Feature("signal_ratio_to_csf", DiscGeometry::signalRatioToCsf),
      new Feature("signal_ratio_to_vertebra", DiscGeometry::signalRatioToVertebra),
      new Feature("signal_diff_to_neighbours", DiscGeometry::signalDiffToNeighbours),
      new Feature("canal_ap_diameter_mm", DiscGeometry::canalApDiameterMm),
      new Feature("tilt_deg", DiscGeometry::tiltDeg),
      new Feature("level_index_from_bottom", g -> g.indexFromBottom()));

  /** Feature names in column order. */
  public static final List<String> NAMES = FEATURES.stream().map(Feature::name).toList();

  /** Number of features (columns). */
  public static final int COUNT = FEATURES.size();

  private DiscFeatures() {}

  /** The features of one disc, float32 in {@link #NAMES} order; NaN marks a missing value. */
  public static float[] of(DiscGeometry disc) {
    if (disc == null) {
      throw new InvalidInputException("disc geometry is missing");
    }
    float[] row = new float[COUNT];
    for (int i = 0; i < COUNT; i++) {
      double v = FEATURES.get(i).value().applyAsDouble(disc);
      row[i] = Double.isFinite(v) ? (float) v : Float.NaN;
    }
    return row;
  }

  /** Names of the features of {@code disc} that are not finite, in column order; empty if none. */
  public static List<String> missing(DiscGeometry disc) {
    float[] row = of(disc);
    List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < COUNT; i++) {
      if (Float.isNaN(row[i])) {
        out.add(NAMES.get(i));
      }
    }
    return out;
  }

  /** Whether every feature of {@code disc} is finite: only such discs go to the trees. */
  public static boolean complete(DiscGeometry disc) {
    for (float v : of(disc)) {
      if (Float.isNaN(v)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Row-major feature matrix of several discs: {@code discs.size()} rows of {@link #COUNT} float32
   * columns, as {@code DMatrix} expects.
   */
  public static float[] matrix(List<DiscGeometry> discs) {
    float[] data = new float[discs.size() * COUNT];
    for (int r = 0; r < discs.size(); r++) {
      System.arraycopy(of(discs.get(r)), 0, data, r * COUNT, COUNT);
    }
    return data;
  }
}
