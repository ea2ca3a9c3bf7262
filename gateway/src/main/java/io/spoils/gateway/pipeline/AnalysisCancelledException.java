package io.spoils.gateway.pipeline;

import io.spoils.gateway.failure.AnalysisException;
import io.spoils.gateway.failure.FailureCode;

/**
 * An analysis stopped because its caller cancelled it ({@link Cancellation}): code
 * {@link FailureCode#CANCELLED}. The message names the stage that did not start, never patient
 * data.
 */
public final class AnalysisCancelledException extends AnalysisException {
  private static final long serialVersionUID = 1L;

  public AnalysisCancelledException(String reason) {
    super(FailureCode.CANCELLED, reason);
  }
}
