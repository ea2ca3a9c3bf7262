package io.spoils.gateway.backend;

import io.spoils.feature.decision.DiscClass;
import io.spoils.feature.tensor.DiscCrop;
import io.spoils.feature.tensor.SegmentationInput;
import io.spoils.feature.tensor.SegmentationOutput;
import java.util.List;
import java.util.Optional;

/**
 * The one list of models the analysis runs on an inference backend, with their roles and tensor
 * contracts ({@code triton-models/CONTRACT.md}). The backends' start-up checks, the simulated
 * backend, ListModels and the events read roles and names from here; the gradient-boosted trees
 * run in process and name themselves ({@code TreeGrader.info()}), with role
 * {@link ModelRole#DISC_GRADING_TREES}.
 *
 * <p>To add a model: add a constant here and to {@link #BACKEND_MODELS}, then call it from a
 * pipeline stage; start-up checks and ListModels follow.
 */
public final class ModelRegistry {

  /** {@code spine_segmentation}: image {@code [1, Hp, Wp]} to logits {@code [5, Hp, Wp]}. */
  public static final RegisteredModel SEGMENTATION = new RegisteredModel("spine_segmentation",
      ModelRole.SEGMENTATION,
      List.of(RegisteredModel.fp32(SegmentationInput.INPUT_NAME, 1, -1, -1)),
      List.of(RegisteredModel.fp32(SegmentationOutput.OUTPUT_NAME, SegmentationOutput.CLASSES,
          -1, -1)));

  /** {@code disc_grading}: crop {@code [1, 128, 128]} to 11 class probabilities. */
  public static final RegisteredModel DISC_GRADING = new RegisteredModel("disc_grading",
      ModelRole.DISC_GRADING_CNN,
      List.of(RegisteredModel.fp32(DiscCrop.INPUT_NAME, 1, DiscCrop.SIZE, DiscCrop.SIZE)),
      List.of(RegisteredModel.fp32("probabilities", DiscClass.COUNT)));

  /** The models an analysis needs from its inference backend, in pipeline order. */
  public static final List<RegisteredModel> BACKEND_MODELS = List.of(SEGMENTATION, DISC_GRADING);

  /** Where the trees run, for ListModels and the summary. */
  public static final String TREES_BACKEND = "xgboost";

  private ModelRegistry() {}

  /** The names of {@link #BACKEND_MODELS}, in order. */
  public static List<String> backendModelNames() {
    return BACKEND_MODELS.stream().map(RegisteredModel::name).toList();
  }

  /** The registered model named {@code name}. */
  public static Optional<RegisteredModel> model(String name) {
    return BACKEND_MODELS.stream().filter(m -> m.name().equals(name)).findFirst();
  }

  /** The role of the backend model named {@code name}, if it is registered. */
  public static Optional<ModelRole> role(String name) {
    return model(name).map(RegisteredModel::role);
  }
}
