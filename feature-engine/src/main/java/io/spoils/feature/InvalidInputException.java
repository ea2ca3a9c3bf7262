package io.spoils.feature;

/**
 * Input the pipeline cannot work with: not DICOM, truncated, no sagittal series, an empty mask,
 * out-of-range clinical scores. The gateway maps it to gRPC {@code INVALID_ARGUMENT} / HTTP 400 and
 * the CLI to exit code 2.
 *
 * <p>The message is shown to callers and written to logs, so it must name the reason only and never
 * carry patient data (names, IDs, dates, UIDs) or file contents.
 */
public class InvalidInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String reason) {
    super(reason);
  }

  public InvalidInputException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
