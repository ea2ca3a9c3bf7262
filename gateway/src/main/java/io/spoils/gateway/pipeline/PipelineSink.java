package io.spoils.gateway.pipeline;

/**
 * Receives the events of one analysis as they are ready, in stream order (see
 * {@link PipelineEvent}), on the Vert.x context the analysis was started from. Implementations must
 * not block (they run on the event loop); a failure thrown here fails the analysis.
 */
@FunctionalInterface
public interface PipelineSink {

  /** One event; called once per event, never concurrently for one analysis. */
  void accept(PipelineEvent event);

  /** A sink that drops every event (when only the returned summary matters). */
  static PipelineSink discard() {
    return e -> { };
  }
}
