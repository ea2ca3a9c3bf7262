package io.spoils.gateway.ingest;

import io.spoils.gateway.failure.AnalysisException;
import io.spoils.gateway.failure.FailureCode;
import java.util.Objects;

/**
 * A PACS could not deliver a study. The message is written for callers: it names the configured
 * PACS and the reason, never a UID or other patient data. Its {@link #code()} follows from the
 * {@link Status}.
 */
public final class PacsException extends AnalysisException {
  private static final long serialVersionUID = 1L;

  /** Why the fetch failed. */
  public enum Status {
    /** The PACS does not hold the study (or series): {@link FailureCode#STUDY_NOT_FOUND}. */
    NOT_FOUND(FailureCode.STUDY_NOT_FOUND),
    /** The PACS is unreachable, answered 5xx, or refused the gateway. */
    UNAVAILABLE(FailureCode.PACS_UNAVAILABLE),
    /** The PACS answered with something that is not a DICOMweb study. */
    BAD_RESPONSE(FailureCode.PACS_BAD_RESPONSE),
    /** The fetch did not finish before its deadline. */
    DEADLINE_EXCEEDED(FailureCode.DEADLINE);

    private final FailureCode code;

    Status(FailureCode code) {
      this.code = code;
    }
  }

  private final Status status;

  public PacsException(Status status, String reason) {
    super(Objects.requireNonNull(status, "status").code, reason);
    this.status = status;
  }

  public Status status() {
    return status;
  }
}
