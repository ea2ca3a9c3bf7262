package io.spoils.gateway.failure;

import io.spoils.feature.InvalidInputException;
import io.vertx.grpc.common.GrpcStatus;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How a failure is answered: its code (hence gRPC status, HTTP status and title, from the table
 * in {@link FailureCode}) and the reason shown to the caller. {@link #of} is the one place where
 * exceptions become answers: the reasons of {@link AnalysisException} and of feature-engine's
 * {@link InvalidInputException} are written for callers (no patient data) and are passed on;
 * anything else is logged by class only and answered with a generic INTERNAL message.
 *
 * @param code why it failed
 * @param detail the reason shown to the caller (RFC 9457 {@code detail}, gRPC status message)
 */
public record Failure(FailureCode code, String detail) {

  private static final Logger LOG = Logger.getLogger(Failure.class.getName());
  /** The detail of a failure that is not coded: nothing of the exception reaches the caller. */
  static final String GENERIC = "the analysis failed with an internal error";

  public Failure {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(detail, "detail");
  }

  /** The answer to {@code failure}. */
  public static Failure of(Throwable failure) {
    if (failure instanceof AnalysisException a) {
      return new Failure(a.code(), a.code().detailPrefix() + a.getMessage());
    }
    if (failure instanceof InvalidInputException) {
      return new Failure(FailureCode.INVALID_INPUT, failure.getMessage());
    }
    LOG.log(Level.WARNING, "internal error: " + failure.getClass().getName());
    return new Failure(FailureCode.INTERNAL, GENERIC);
  }

  /** The gRPC status. */
  public GrpcStatus grpc() {
    return code.grpc();
  }

  /** The HTTP status code. */
  public int http() {
    return code.http();
  }

  /** Short, fixed problem title (RFC 9457 {@code title}). */
  public String title() {
    return code.title();
  }
}
