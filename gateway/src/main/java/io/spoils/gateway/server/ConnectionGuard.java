package io.spoils.gateway.server;

import io.spoils.gateway.config.ConnectionOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds what idle and slow connections may hold ({@link ConnectionOptions}): at most
 * {@code maxConnections} open at once (one beyond them is closed as it opens), a new connection's
 * first request headers within {@code headerTimeoutSeconds}, and no connection silent both ways
 * for {@code idleTimeoutSeconds} (Vert.x's idle timeout, which also closes a socket that never
 * sends anything). Vert.x reports a connection, and so this counts and times it, after its TLS
 * handshake (bounded by Vert.x's 10 s handshake timeout), or, in cleartext (where HTTP/1 and
 * HTTP/2 share the port), for HTTP/2 at its connection preface but for HTTP/1 only once its first
 * request's headers are complete: until then a cleartext socket is bounded by the idle timeout
 * alone. Thread-safe.
 */
final class ConnectionGuard {

  private final Vertx vertx;
  private final ConnectionOptions options;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong refused = new AtomicLong();
  /** Connections that have not sent a request's headers yet, with their header timer. */
  private final Map<HttpConnection, Long> waiting = new ConcurrentHashMap<>();

  ConnectionGuard(Vertx vertx, ConnectionOptions options) {
    this.vertx = vertx;
    this.options = options;
  }

  /** Sets the idle timeout on the server's options. */
  HttpServerOptions apply(HttpServerOptions server) {
    return server.setIdleTimeout((int) Math.max(1, Math.round(options.idleTimeoutSeconds() * 1000)))
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  /** A connection has opened: counted, closed beyond the limit, timed until its first request. */
  void connected(HttpConnection connection) {
    if (open.incrementAndGet() > options.maxConnections()) {
      open.decrementAndGet();
      refused.incrementAndGet();
      connection.close();
      return;
    }
    long ms = Math.max(1, Math.round(options.headerTimeoutSeconds() * 1000));
    waiting.put(connection, vertx.setTimer(ms, id -> {
      if (waiting.remove(connection) != null) {
        connection.close();
      }
    }));
    connection.closeHandler(v -> {
      open.decrementAndGet();
      Long timer = waiting.remove(connection);
      if (timer != null) {
        vertx.cancelTimer(timer);
      }
    });
  }

  /** A request's headers have arrived: its connection has met the header timeout. */
  void request(HttpServerRequest request) {
    Long timer = waiting.remove(request.connection());
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }

  /** Connections open now. */
  int open() {
    return open.get();
  }

  /** Connections closed as they opened, beyond the limit, so far. */
  long refused() {
    return refused.get();
  }
}
