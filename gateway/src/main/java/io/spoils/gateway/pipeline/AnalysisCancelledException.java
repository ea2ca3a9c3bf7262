package io.spoils.gateway.pipeline;

/**
 * An analysis stopped because its caller cancelled it ({@link Cancellation}); answered as gRPC
 * CANCELLED. The message names the stage that did not start, never patient data.
 */
public final class AnalysisCancelledException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AnalysisCancelledException(String reason) {
    super(reason, null, false, false);
  }
}
