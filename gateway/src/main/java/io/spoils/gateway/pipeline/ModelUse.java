package io.spoils.gateway.pipeline;

import java.util.Objects;

/**
 * A model that contributed to an analysis.
 *
 * @param name model name (Triton model folder, or the trees' model-info name)
 * @param version version that answered (Triton version folder, or the trees' semantic version)
 * @param role what the model did
 * @param backend where it ran, e.g. {@code onnxruntime-cpu}, {@code triton}, {@code xgboost}
 */
public record ModelUse(String name, String version, Role role, String backend) {

  /** The model's part in the pipeline. */
  public enum Role { SEGMENTATION, DISC_GRADING_CNN, DISC_GRADING_TREES }

  public ModelUse {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(backend, "backend");
  }
}
