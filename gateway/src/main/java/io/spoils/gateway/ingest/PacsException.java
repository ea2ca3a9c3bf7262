package io.spoils.gateway.ingest;

import java.util.Objects;

/**
 * A PACS could not deliver a study. The message is written for callers: it names the configured
 * PACS and the reason, never a UID or other patient data. {@code server.ErrorMapping} maps the
 * {@link Status}.
 */
public final class PacsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the fetch failed. */
  public enum Status {
    /** The PACS does not hold the study (or series): gRPC NOT_FOUND, HTTP 404. */
    NOT_FOUND,
    /** The PACS is unreachable, answered 5xx, or refused the gateway: UNAVAILABLE, HTTP 503. */
    UNAVAILABLE,
    /** The PACS answered with something that is not a DICOMweb study: UNAVAILABLE, HTTP 502. */
    BAD_RESPONSE,
    /** The fetch did not finish before its deadline: DEADLINE_EXCEEDED, HTTP 504. */
    DEADLINE_EXCEEDED
  }

  private final Status status;

  public PacsException(Status status, String reason) {
    super(reason, null, false, false);
    this.status = Objects.requireNonNull(status, "status");
  }

  public Status status() {
    return status;
  }
}
