package io.spoils.gateway.service;

import io.spoils.gateway.pipeline.PipelineEvent;

/**
 * An output format subscribed to one analysis: turns each pipeline event, in order, into what its
 * transport writes (a {@code spoils.v1.AnalysisEvent} for gRPC, and the same framed as NDJSON or
 * SSE for HTTP; DICOM SR and SEG next). One instance per analysis, opened by its
 * {@link Factory}; called on the analysis's context, so it need not be thread-safe.
 *
 * <p>To add an output format: one class implementing this (and its {@link Factory}), and one line
 * where a transport subscribes it ({@code AnalysisService#analyze}'s {@code format}).
 *
 * @param <T> what it writes
 */
@FunctionalInterface
public interface EventEncoder<T> {

  /** {@code event} encoded; never null. */
  T encode(PipelineEvent event);

  /**
   * Opens the encoder of one analysis.
   *
   * @param <T> what its encoders write
   */
  @FunctionalInterface
  interface Factory<T> {
    EventEncoder<T> open(AnalysisContext analysis);
  }
}
