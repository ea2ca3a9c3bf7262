package io.spoils.gateway.pipeline;

/**
 * The stages of one analysis, in pipeline order; {@link #TOTAL} is the whole analysis (request
 * received to summary). Stages may overlap in time ({@link #TREES} runs while the CNN request is in
 * flight), so the stages need not add up to the total.
 */
public enum Stage {
  /** DICOM parsing, series grouping, choice of the sagittal T2 series and its mid-sagittal slice. */
  DECODE,
  /** Resize and z-score of the chosen slice into the segmentation input. */
  PREPROCESS,
  /** The {@code spine_segmentation} call and its post-processing into a semantic map. */
  SEGMENTATION,
  /** Naming of discs and vertebrae (level labelling) and the 14-class map when asked for. */
  LEVELS,
  /** Disc and vertebra measurements. */
  GEOMETRY,
  /** Disc crops and the batched {@code disc_grading} call(s). */
  CNN_GRADING,
  /** Gradient-boosted trees on the measurements. */
  TREES,
  /** Ensembles and treatment strata (per disc and per study). */
  DECISION,
  /** The whole analysis. */
  TOTAL
}
