package io.spoils.gateway.backend;

/**
 * A model's part in the analysis. The names equal {@code spoils.v1.ModelRole} without its
 * {@code MODEL_ROLE_} prefix and {@code pipeline.ModelUse.Role}, so each maps to the other by name.
 */
public enum ModelRole {
  /** Slice to label map ({@code spine_segmentation}), on the inference backend. */
  SEGMENTATION,
  /** Disc crop to class probabilities ({@code disc_grading}), on the inference backend. */
  DISC_GRADING_CNN,
  /** Disc geometry to class probabilities (gradient-boosted trees), in the gateway's process. */
  DISC_GRADING_TREES
}
