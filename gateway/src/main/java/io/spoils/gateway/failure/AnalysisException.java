package io.spoils.gateway.failure;

import java.util.Objects;

/**
 * A failure with its {@link FailureCode}: the one exception type of the gateway's refusals and
 * failures (admission, drain, size and arrival limits, backends, PACS, cancellation). The message
 * is a reason written for callers: it is shown to them and logged, so it never carries patient
 * data or tensor contents. {@link Failure#of} turns it into the answer of either transport.
 *
 * <p>{@code BackendException}, {@code PacsException} and {@code AnalysisCancelledException} are
 * subclasses that only fix the code from their own vocabulary, kept for their many call sites.
 */
public class AnalysisException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final FailureCode code;

  /** An expected refusal: no stack trace (it is never a bug to look for). */
  public AnalysisException(FailureCode code, String reason) {
    this(code, reason, null, false);
  }

  /** A failure caused by {@code cause}, with its stack trace. */
  public AnalysisException(FailureCode code, String reason, Throwable cause) {
    this(code, reason, cause, true);
  }

  /**
   * @param stackTrace whether the stack trace is recorded (off for expected refusals)
   */
  protected AnalysisException(FailureCode code, String reason, Throwable cause,
      boolean stackTrace) {
    super(reason, cause, false, stackTrace);
    this.code = Objects.requireNonNull(code, "code");
  }

  /** Why it failed; decides the gRPC and HTTP status. */
  public FailureCode code() {
    return code;
  }

  /** Whether {@code failure} is an {@link AnalysisException} with {@code code}. */
  public static boolean is(Throwable failure, FailureCode code) {
    return failure instanceof AnalysisException a && a.code == code;
  }
}
