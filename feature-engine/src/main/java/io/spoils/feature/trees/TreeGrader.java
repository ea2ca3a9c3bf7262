package io.spoils.feature.trees;

import io.spoils.feature.geometry.DiscGeometry;
import java.util.List;

/** Grades discs from their geometry with a gradient-boosted tree model. */
public interface TreeGrader extends AutoCloseable {

  /**
   * The grade of one disc.
   *
   * @throws IllegalArgumentException when a feature of the disc is unmeasured (see
   *     {@link DiscFeatures#complete}): NaN never reaches the trees
   */
  TreeGrade grade(DiscGeometry disc);

  /**
   * The grades of all discs of a study, in input order (one model call for the batch).
   *
   * @throws IllegalArgumentException when a disc is not {@link DiscFeatures#complete}
   */
  List<TreeGrade> gradeAll(List<DiscGeometry> discs);

  /** What model is loaded. */
  ModelInfo info();

  /** Frees the native model; the grader must not be used afterwards. */
  @Override
  void close();
}
