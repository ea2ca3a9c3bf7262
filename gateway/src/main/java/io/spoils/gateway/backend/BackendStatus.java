package io.spoils.gateway.backend;

/**
 * Backend-neutral outcome of a failed inference; {@link BackendException} turns it into the
 * gateway's {@code FailureCode} (the names follow gRPC's status codes).
 */
public enum BackendStatus {
  /** The request does not fit the model: unknown input, wrong shape or batch size. Client error. */
  INVALID_ARGUMENT,
  /** No such model or model version. */
  NOT_FOUND,
  /** The backend cannot take the request now: not started, closed, overloaded, server unreachable. */
  UNAVAILABLE,
  /** The request's deadline passed before a result was ready. */
  DEADLINE_EXCEEDED,
  /** The backend or model failed in a way the client cannot fix. */
  INTERNAL
}
