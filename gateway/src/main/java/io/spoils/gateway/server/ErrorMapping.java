package io.spoils.gateway.server;

import io.spoils.feature.InvalidInputException;
import io.spoils.gateway.backend.BackendException;
import io.spoils.gateway.ingest.PacsException;
import io.spoils.gateway.pipeline.AnalysisCancelledException;
import io.vertx.grpc.common.GrpcStatus;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place where failures become gRPC statuses and HTTP problems. Messages of
 * {@link InvalidInputException}, {@link BackendException}, {@link RequestTooLargeException},
 * {@link NotAcceptableException}, {@link RequestTimeoutException}, {@link PacsException},
 * {@link AnalysisCancelledException} and admission refusals are reasons written for callers (no
 * patient data) and are passed on; anything else is logged by class only and answered with a
 * generic INTERNAL message.
 */
public final class ErrorMapping {

  private static final Logger LOG = Logger.getLogger(ErrorMapping.class.getName());

  /**
   * How a failure is answered.
   *
   * @param grpc the gRPC status
   * @param http the HTTP status code
   * @param title short, fixed problem title (RFC 9457 {@code title})
   * @param detail the reason shown to the caller (RFC 9457 {@code detail}, gRPC status message)
   */
  public record Mapped(GrpcStatus grpc, int http, String title, String detail) { }

  /** A study beyond the configured size limits (files or bytes). */
  public static final class RequestTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RequestTooLargeException(String reason) {
      super(reason, null, false, false);
    }
  }

  /** The request did not arrive in time (its caller's deadline, or the server's timeout). */
  public static final class RequestTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RequestTimeoutException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * A request whose {@code Accept} header names no representation this endpoint can produce (HTTP
   * 406). HTTP only: gRPC has no content negotiation.
   */
  public static final class NotAcceptableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotAcceptableException(String reason) {
      super(reason, null, false, false);
    }
  }

  private ErrorMapping() {}

  /** The answer to {@code failure}. */
  public static Mapped map(Throwable failure) {
    if (failure instanceof InvalidInputException) {
      return new Mapped(GrpcStatus.INVALID_ARGUMENT, 400, "Invalid input", failure.getMessage());
    }
    if (failure instanceof NotAcceptableException) {
      return new Mapped(GrpcStatus.INVALID_ARGUMENT, 406, "Not acceptable", failure.getMessage());
    }
    if (failure instanceof RequestTooLargeException) {
      return new Mapped(GrpcStatus.RESOURCE_EXHAUSTED, 413, "Study too large",
          failure.getMessage());
    }
    if (failure instanceof RequestTimeoutException) {
      return new Mapped(GrpcStatus.DEADLINE_EXCEEDED, 408, "Request timeout",
          failure.getMessage());
    }
    if (failure instanceof Admission.AdmissionException) {
      return new Mapped(GrpcStatus.RESOURCE_EXHAUSTED, 429, "Too many requests",
          failure.getMessage());
    }
    if (failure instanceof Drain.DrainingException) {
      return new Mapped(GrpcStatus.UNAVAILABLE, 503, "Shutting down", failure.getMessage());
    }
    if (failure instanceof BackendException b) {
      return backend(b);
    }
    if (failure instanceof PacsException p) {
      return pacs(p);
    }
    if (failure instanceof AnalysisCancelledException) {
      // 499 (nginx's "client closed request"): nobody reads it, but the error metrics count it
      return new Mapped(GrpcStatus.CANCELLED, 499, "Client closed request", failure.getMessage());
    }
    LOG.log(Level.WARNING, "internal error: " + failure.getClass().getName());
    return new Mapped(GrpcStatus.INTERNAL, 500, "Internal error",
        "the analysis failed with an internal error");
  }

  /** A PACS's failure: its absence of the study is the caller's problem, the rest the PACS's. */
  private static Mapped pacs(PacsException p) {
    return switch (p.status()) {
      case NOT_FOUND -> new Mapped(GrpcStatus.NOT_FOUND, 404, "Study not found", p.getMessage());
      case UNAVAILABLE -> new Mapped(GrpcStatus.UNAVAILABLE, 503, "PACS unavailable",
          p.getMessage());
      case BAD_RESPONSE -> new Mapped(GrpcStatus.UNAVAILABLE, 502, "Bad PACS response",
          p.getMessage());
      case DEADLINE_EXCEEDED -> new Mapped(GrpcStatus.DEADLINE_EXCEEDED, 504, "Deadline exceeded",
          p.getMessage());
    };
  }

  private static Mapped backend(BackendException b) {
    return switch (b.status()) {
      // the pipeline built the model inputs, so a model refusing them is our fault, not the caller's
      case INVALID_ARGUMENT -> new Mapped(GrpcStatus.INTERNAL, 500, "Internal error",
          "a model rejected its input: " + b.getMessage());
      case NOT_FOUND -> new Mapped(GrpcStatus.UNAVAILABLE, 503, "Model not available",
          b.getMessage());
      case UNAVAILABLE -> new Mapped(GrpcStatus.UNAVAILABLE, 503, "Service unavailable",
          b.getMessage());
      case DEADLINE_EXCEEDED -> new Mapped(GrpcStatus.DEADLINE_EXCEEDED, 504, "Deadline exceeded",
          b.getMessage());
      case INTERNAL -> new Mapped(GrpcStatus.INTERNAL, 500, "Internal error", b.getMessage());
    };
  }
}
