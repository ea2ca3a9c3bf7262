package io.spoils.gateway.backend;

import java.util.Objects;

/**
 * An inference failure with its {@link BackendStatus}. The message is the reason only: it is shown
 * to callers and logged, so it never carries patient data or tensor contents.
 */
public class BackendException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final BackendStatus status;

  public BackendException(BackendStatus status, String reason) {
    super(reason);
    this.status = Objects.requireNonNull(status, "status");
  }

  public BackendException(BackendStatus status, String reason, Throwable cause) {
    super(reason, cause);
    this.status = Objects.requireNonNull(status, "status");
  }

  /** The backend-neutral status. */
  public BackendStatus status() {
    return status;
  }

  @Override
  public String toString() {
    return "BackendException[" + status + "]: " + getMessage();
  }
}
