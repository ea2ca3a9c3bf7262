package io.spoils.gateway.server;

import io.spoils.gateway.security.Principal;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The access log, the first request filter: one JSON line per answered request on the
 * {@value #LOGGER} logger (at {@code accessLogLevel}, default INFO), written when the response's
 * last byte is written:
 * {@code time}, {@code request_id} (the caller's {@code X-Request-Id} when it is 1-64 of
 * {@code [A-Za-z0-9._-]}, else a new UUID; echoed in the response; a gRPC message's
 * {@code request_id} replaces it in the line), {@code transport},
 * {@code method}, {@code route} (a route template such as {@code /v1/received/{id}} or a gRPC
 * method name, never the raw path or query, which a caller could fill with anything),
 * {@code status} (HTTP, or the gRPC status code), {@code duration_ms}, {@code bytes_in},
 * {@code bytes_out} and {@code principal} (a name from {@link Principal}, never a token). Never
 * a header, a file name or patient data. Not logged yet: requests whose stream or connection is
 * gone before their answer ends.
 */
final class AccessLog implements RequestFilter {

  static final String LOGGER = "io.spoils.access";
  private static final Logger LOG = Logger.getLogger(LOGGER);
  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern GRPC_METHOD = Pattern.compile("/[A-Za-z0-9_.]+/[A-Za-z0-9_]+");
  private static final Pattern ROUTE = Pattern.compile(
      "/v1/(analyses|models|openapi\\.json|received)|/health/(live|ready)|/metrics|/viewer/?");

  private final Level level;

  /** Lines at INFO. */
  AccessLog() {
    this(Level.INFO);
  }

  /** @param level the level lines are logged at ({@code accessLogLevel}) */
  AccessLog(Level level) {
    this.level = level;
  }

  /** Records who {@code req} was made by, for its line and the analysis' audit line. */
  void principal(HttpServerRequest req, Principal principal) {
    req.headers().set(CallerHeaders.PRINCIPAL, principal.name());
  }

  @Override
  public boolean handle(HttpServerRequest req) {
    long start = System.nanoTime();
    String given = req.getHeader(CallerHeaders.REQUEST_ID);
    String id = given != null && REQUEST_ID.matcher(given).matches() ? given
        : UUID.randomUUID().toString();
    // the endpoints read both from the request (CallerHeaders); a caller's principal is not trusted
    req.headers().set(CallerHeaders.REQUEST_ID, id).remove(CallerHeaders.PRINCIPAL);
    HttpServerResponse response = req.response();
    response.putHeader(CallerHeaders.REQUEST_ID, id);
    // bodyEndHandler: the routes and the gRPC server own endHandler and closeHandler
    response.bodyEndHandler(v -> {
      if (level != Level.OFF && LOG.isLoggable(level)) {
        // the id again: a gRPC message's request_id replaces the header's
        String logged = req.headers().get(CallerHeaders.REQUEST_ID);
        LOG.log(level, line(req, logged == null ? id : logged, start,
            req.headers().get(CallerHeaders.PRINCIPAL)).encode());
      }
    });
    return false;
  }

  private static JsonObject line(HttpServerRequest req, String id, long start,
      String principal) {
    HttpServerResponse response = req.response();
    boolean grpc = Refusal.grpc(req);
    JsonObject j = new JsonObject().put("time", Instant.now().toString()).put("request_id", id)
        .put("transport", grpc ? "grpc" : "http").put("method", req.method().name())
        .put("route", route(req.path(), grpc));
    String grpcStatus = response.trailers().get("grpc-status");
    if (grpcStatus == null) {
      grpcStatus = response.headers().get("grpc-status");
    }
    j.put("status", grpc && grpcStatus != null && grpcStatus.matches("\\d{1,2}")
        ? Integer.parseInt(grpcStatus) : response.getStatusCode());
    return j.put("duration_ms", Math.round((System.nanoTime() - start) / 1e4) / 100.0)
        .put("bytes_in", req.bytesRead()).put("bytes_out", response.bytesWritten())
        .put("principal", principal);
  }

  /** A template of {@code path}: fixed names, with ids and file names as {@code {id}}. */
  static String route(String path, boolean grpc) {
    if (path == null) {
      return "other";
    }
    if (grpc) {
      return GRPC_METHOD.matcher(path).matches() ? path : "other";
    }
    if (ROUTE.matcher(path).matches()) {
      return path;
    }
    for (String prefix : new String[] {"/v1/analyses/", "/v1/received/", "/viewer/"}) {
      if (path.startsWith(prefix) && path.length() > prefix.length()) {
        String rest = path.substring(prefix.length());
        int slash = rest.indexOf('/');
        String suffix = slash < 0 ? "" : rest.substring(slash);
        return prefix + (prefix.equals("/viewer/") ? "{file}" : "{id}")
            + (suffix.matches("/(events|slice\\.png|labels\\.png)") ? suffix : "");
      }
    }
    return "other";
  }
}
