package io.spoils.gateway.failure;

import io.vertx.grpc.common.GrpcStatus;

/**
 * Why an analysis failed, and the one table that answers it on each transport: the gRPC status,
 * the HTTP status and the fixed RFC 9457 problem title. Every refusal and failure of the gateway
 * carries one of these codes ({@link AnalysisException#code()}); {@link Failure#of} reads it.
 *
 * <p>To add a failure: add a row here and throw {@link AnalysisException} with it; nothing else
 * maps statuses.
 */
public enum FailureCode {

  //                   gRPC status                    HTTP  problem title
  /** The caller's study or parameters are wrong (the message says how). */
  INVALID_INPUT(GrpcStatus.INVALID_ARGUMENT, 400, "Invalid input"),
  /** The {@code Accept} header names no representation the endpoint can produce (HTTP only). */
  NOT_ACCEPTABLE(GrpcStatus.INVALID_ARGUMENT, 406, "Not acceptable"),
  /** The study is beyond the configured size limits (files or bytes). */
  TOO_LARGE(GrpcStatus.RESOURCE_EXHAUSTED, 413, "Study too large"),
  /** The request did not arrive in time (its caller's deadline, or the server's timeout). */
  REQUEST_TIMEOUT(GrpcStatus.DEADLINE_EXCEEDED, 408, "Request timeout"),
  /** Admission refused the study: every slot is taken and the queue is full. */
  BUSY(GrpcStatus.RESOURCE_EXHAUSTED, 429, "Too many requests"),
  /** Admission refused the study: it waited in the queue for its longest wait. */
  QUEUE_TIMEOUT(GrpcStatus.RESOURCE_EXHAUSTED, 429, "Too many requests"),
  /** The server is shutting down; retry on another replica. */
  DRAINING(GrpcStatus.UNAVAILABLE, 503, "Shutting down"),
  /**
   * A model refused the inputs the pipeline built: the gateway's fault, not the caller's, so an
   * internal error whose detail says so.
   */
  MODEL_REJECTED_INPUT(GrpcStatus.INTERNAL, 500, "Internal error", "a model rejected its input: "),
  /** The backend does not serve a model (or version) the analysis needs. */
  MODEL_NOT_FOUND(GrpcStatus.UNAVAILABLE, 503, "Model not available"),
  /** The backend cannot take the request now: not started, closed, overloaded, unreachable. */
  UNAVAILABLE(GrpcStatus.UNAVAILABLE, 503, "Service unavailable"),
  /** The analysis (or a PACS fetch) did not finish before its deadline. */
  DEADLINE(GrpcStatus.DEADLINE_EXCEEDED, 504, "Deadline exceeded"),
  /** The named PACS does not hold the study (or series). */
  STUDY_NOT_FOUND(GrpcStatus.NOT_FOUND, 404, "Study not found"),
  /** The PACS is unreachable, answered 5xx, or refused the gateway. */
  PACS_UNAVAILABLE(GrpcStatus.UNAVAILABLE, 503, "PACS unavailable"),
  /** The PACS answered with something that is not a DICOMweb study. */
  PACS_BAD_RESPONSE(GrpcStatus.UNAVAILABLE, 502, "Bad PACS response"),
  /** The caller cancelled (499 is nginx's "client closed request": counted, never read). */
  CANCELLED(GrpcStatus.CANCELLED, 499, "Client closed request"),
  /** No bearer credential, or one that is not valid here (HTTP adds WWW-Authenticate). */
  UNAUTHENTICATED(GrpcStatus.UNAUTHENTICATED, 401, "Unauthorized"),
  /** A valid credential without the scope the route needs, or a refused browser origin. */
  PERMISSION_DENIED(GrpcStatus.PERMISSION_DENIED, 403, "Forbidden"),
  /** The Host (authority) is not one this server answers to (against DNS rebinding). */
  MISDIRECTED(GrpcStatus.PERMISSION_DENIED, 421, "Misdirected request"),
  /** A failure the caller cannot fix. */
  INTERNAL(GrpcStatus.INTERNAL, 500, "Internal error");

  private final GrpcStatus grpc;
  private final int http;
  private final String title;
  private final String detailPrefix;

  FailureCode(GrpcStatus grpc, int http, String title) {
    this(grpc, http, title, "");
  }

  FailureCode(GrpcStatus grpc, int http, String title, String detailPrefix) {
    this.grpc = grpc;
    this.http = http;
    this.title = title;
    this.detailPrefix = detailPrefix;
  }

  /** The gRPC status a call failing with this code ends with. */
  public GrpcStatus grpc() {
    return grpc;
  }

  /** The HTTP status of the problem answer. */
  public int http() {
    return http;
  }

  /** The fixed problem title (RFC 9457 {@code title}). */
  public String title() {
    return title;
  }

  /** What precedes the exception's message in the caller's detail (usually nothing). */
  String detailPrefix() {
    return detailPrefix;
  }
}
