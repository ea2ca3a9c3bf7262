package io.spoils.gateway.pipeline;

import io.spoils.feature.decision.TreatmentOptions;
import io.spoils.feature.geometry.GeometryOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * How the pipeline analyses a study.
 *
 * @param timeout the study's overall time budget, from {@code analyze} to the summary; every
 *     backend call carries the deadline it implies and a stage that starts after it fails with
 *     {@code DEADLINE_EXCEEDED}; positive
 * @param treatment thresholds of the treatment rule
 * @param geometry level labelling and measurement tuning
 * @param includeMask whether the segmentation event carries the semantic and 14-class label maps
 * @param maxContributions tree feature contributions reported per disc, 0-50
 */
public record PipelineOptions(Duration timeout, TreatmentOptions treatment,
    GeometryOptions geometry, boolean includeMask, int maxContributions) {

  /** Default timeout: 60 s, ample for one slice on CPU (about a second) with a queue ahead of it. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  /**
   * Most slices of a series decoded and segmented per study: 64 (a 3D series with more keeps its
   * central 64, with a {@code SERIES_TRUNCATED} warning; the others are never decoded).
   */
  public static final int MAX_SERIES_SLICES = 64;
  /** Default number of feature contributions per disc, as in the API's AnalysisOptions. */
  public static final int DEFAULT_MAX_CONTRIBUTIONS = 5;
  /** Largest accepted {@link #maxContributions}. */
  public static final int MAX_CONTRIBUTIONS = 50;

  public PipelineOptions {
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(treatment, "treatment");
    Objects.requireNonNull(geometry, "geometry");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    if (maxContributions < 0 || maxContributions > MAX_CONTRIBUTIONS) {
      throw new IllegalArgumentException("maxContributions must be 0-" + MAX_CONTRIBUTIONS);
    }
  }

  /**
   * Defaults: {@link #DEFAULT_TIMEOUT}, {@link TreatmentOptions#defaults()},
   * {@link GeometryOptions#defaults()}, no mask, {@link #DEFAULT_MAX_CONTRIBUTIONS} contributions.
   */
  public static PipelineOptions defaults() {
    return new PipelineOptions(DEFAULT_TIMEOUT, TreatmentOptions.defaults(),
        GeometryOptions.defaults(), false, DEFAULT_MAX_CONTRIBUTIONS);
  }

  public PipelineOptions withTimeout(Duration value) {
    return new PipelineOptions(value, treatment, geometry, includeMask, maxContributions);
  }

  public PipelineOptions withIncludeMask(boolean value) {
    return new PipelineOptions(timeout, treatment, geometry, value, maxContributions);
  }

  public PipelineOptions withTreatment(TreatmentOptions value) {
    return new PipelineOptions(timeout, value, geometry, includeMask, maxContributions);
  }
}
