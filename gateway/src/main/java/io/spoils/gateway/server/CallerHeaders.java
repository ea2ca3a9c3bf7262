package io.spoils.gateway.server;

import io.spoils.gateway.service.Caller;
import io.vertx.core.MultiMap;
import java.util.Optional;
import java.util.UUID;

/**
 * Who made a request, carried on its own headers from the filters to the endpoints of both
 * transports (a gRPC call sees the same headers as the filters): {@link AccessLog} sets
 * {@code X-Request-Id} to the request's id (the caller's when valid, else a new one) and removes
 * any {@value #PRINCIPAL} a caller sent; {@link Authentication} sets {@value #PRINCIPAL} to the
 * authenticated name. A gRPC message's {@code request_id} replaces the id ({@link #requestId}).
 */
final class CallerHeaders {

  static final String REQUEST_ID = "X-Request-Id";
  /** Internal: never trusted from a caller (removed before authentication). */
  static final String PRINCIPAL = "X-Spoils-Internal-Principal";

  private CallerHeaders() {}

  /** Sets the request's id to the one its message carries (already checked: printable ASCII). */
  static void requestId(MultiMap headers, String id) {
    if (id != null && !id.isEmpty()) {
      headers.set(REQUEST_ID, id);
    }
  }

  /** The caller of an analysis requested with {@code headers} through {@code entryPoint}. */
  static Caller caller(MultiMap headers, String entryPoint) {
    String id = headers.get(REQUEST_ID);
    return new Caller(entryPoint, id == null ? UUID.randomUUID().toString() : id,
        Optional.ofNullable(headers.get(PRINCIPAL)));
  }
}
