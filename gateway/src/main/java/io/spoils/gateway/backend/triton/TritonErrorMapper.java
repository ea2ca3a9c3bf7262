package io.spoils.gateway.backend.triton;

import io.spoils.gateway.backend.BackendException;
import io.spoils.gateway.backend.BackendStatus;
import io.vertx.core.http.StreamResetException;
import io.vertx.grpc.common.GrpcErrorException;
import io.vertx.grpc.common.GrpcStatus;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * Maps what a Triton call failed with to a {@link BackendException}, in one place.
 *
 * <ul>
 *   <li>{@code UNAVAILABLE} (not ready, queue full, shutting down; also an unreachable server):
 *       {@link BackendStatus#UNAVAILABLE}; the caller may retry.
 *   <li>{@code DEADLINE_EXCEEDED}, or any failure once the deadline has passed:
 *       {@link BackendStatus#DEADLINE_EXCEEDED}.
 *   <li>{@code CANCELLED}: {@link BackendStatus#UNAVAILABLE} (the call was dropped, not refused).
 *   <li>{@code INVALID_ARGUMENT}, {@code NOT_FOUND} and everything else:
 *       {@link BackendStatus#INTERNAL}. Requests are validated against the local model repository
 *       before they are sent, so Triton refusing one means the gateway and the server disagree;
 *       the caller cannot fix it. Triton's reason is logged, never passed to the caller.
 * </ul>
 */
final class TritonErrorMapper {

  private static final Logger LOG = Logger.getLogger(TritonErrorMapper.class.getName());

  private TritonErrorMapper() {
  }

  /**
   * The exception for a call on {@code model} that ended with gRPC {@code status}.
   *
   * @param serverMessage Triton's grpc-message, logged only; may be null
   * @param deadlinePassed whether the call's deadline has passed
   */
  static BackendException fromStatus(String model, String call, GrpcStatus status,
      String serverMessage, boolean deadlinePassed) {
    if (status == GrpcStatus.DEADLINE_EXCEEDED || (deadlinePassed && status == GrpcStatus.CANCELLED)) {
      return new BackendException(BackendStatus.DEADLINE_EXCEEDED,
          "deadline exceeded before Triton answered " + call + " for model " + model);
    }
    if (status == GrpcStatus.UNAVAILABLE) {
      return new BackendException(BackendStatus.UNAVAILABLE,
          "Triton cannot take " + call + " for model " + model + " now, try again later");
    }
    if (status == GrpcStatus.CANCELLED) {
      return new BackendException(BackendStatus.UNAVAILABLE,
          "Triton call " + call + " for model " + model + " was cancelled");
    }
    LOG.warning(() -> "Triton rejected " + call + " for model " + model + " with " + status.name()
        + ": " + serverMessage);
    return new BackendException(BackendStatus.INTERNAL,
        "Triton failed " + call + " for model " + model + " (" + status.name() + ")");
  }

  /** The exception for a call that failed without a gRPC status (connection, reset, timeout). */
  static BackendException fromThrowable(String model, String call, Throwable failure,
      boolean deadlinePassed) {
    if (failure instanceof BackendException be) {
      return be;
    }
    if (failure instanceof GrpcErrorException ge) {
      return fromStatus(model, call, ge.status(), ge.getMessage(), deadlinePassed);
    }
    if (failure instanceof StreamResetException sre) {
      return fromThrowable(model, call, GrpcErrorException.create(sre), deadlinePassed);
    }
    if (deadlinePassed || failure instanceof TimeoutException) {
      return fromStatus(model, call, GrpcStatus.DEADLINE_EXCEEDED, null, true);
    }
    if (failure instanceof ConnectException || failure instanceof java.io.IOException
        || failure instanceof io.vertx.core.http.HttpClosedException) {
      LOG.warning(() -> "Triton unreachable for " + call + ": " + failure);
      return new BackendException(BackendStatus.UNAVAILABLE,
          "Triton server is unreachable for " + call + " of model " + model, failure);
    }
    LOG.warning(() -> "Triton call " + call + " for model " + model + " failed: " + failure);
    return new BackendException(BackendStatus.INTERNAL,
        "Triton call " + call + " for model " + model + " failed", failure);
  }
}
