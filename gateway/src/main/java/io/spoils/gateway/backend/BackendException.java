package io.spoils.gateway.backend;

import io.spoils.gateway.failure.AnalysisException;
import io.spoils.gateway.failure.FailureCode;
import java.util.Objects;

/**
 * An inference failure with its {@link BackendStatus}, the backends' own vocabulary (gRPC-like);
 * its {@link #code()} is the gateway-wide {@link FailureCode} the status stands for. The message is
 * the reason only: it is shown to callers and logged, so it never carries patient data or tensor
 * contents.
 */
public class BackendException extends AnalysisException {
  private static final long serialVersionUID = 1L;

  private final BackendStatus status;

  public BackendException(BackendStatus status, String reason) {
    super(code(status), reason, null, true);
    this.status = status;
  }

  public BackendException(BackendStatus status, String reason, Throwable cause) {
    super(code(status), reason, cause, true);
    this.status = status;
  }

  /** The backend-neutral status. */
  public BackendStatus status() {
    return status;
  }

  /** The failure code of a backend status. */
  static FailureCode code(BackendStatus status) {
    return switch (Objects.requireNonNull(status, "status")) {
      // the pipeline built the model inputs, so a model refusing them is our fault
      case INVALID_ARGUMENT -> FailureCode.MODEL_REJECTED_INPUT;
      case NOT_FOUND -> FailureCode.MODEL_NOT_FOUND;
      case UNAVAILABLE -> FailureCode.UNAVAILABLE;
      case DEADLINE_EXCEEDED -> FailureCode.DEADLINE;
      case INTERNAL -> FailureCode.INTERNAL;
    };
  }

  @Override
  public String toString() {
    return "BackendException[" + status + "]: " + getMessage();
  }
}
