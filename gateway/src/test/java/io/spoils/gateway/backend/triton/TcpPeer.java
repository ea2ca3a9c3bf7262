package io.spoils.gateway.backend.triton;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw TCP peer on 127.0.0.1 at a free port, for a Triton that hangs below HTTP/2: it either
 * forwards every connection to a target port (a transparent proxy) or, once {@link #silence}d,
 * accepts connections and reads what they send without ever answering; bytes already on their
 * way are dropped too. {@link #dropConnections} closes the connections it holds, so that the
 * client's next call opens a new one (to a silent peer, a TCP handshake and then nothing).
 */
final class TcpPeer {

  private final Vertx vertx;
  private final int target;
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private volatile boolean silent;
  private NetServer server;
  private NetClient client;

  private TcpPeer(Vertx vertx, int target, boolean silent) {
    this.vertx = vertx;
    this.target = target;
    this.silent = silent;
  }

  /** A peer that accepts and never answers. */
  static Future<TcpPeer> silent(Vertx vertx) {
    return new TcpPeer(vertx, -1, true).listen();
  }

  /** A proxy to {@code 127.0.0.1:targetPort} until {@link #silence()}. */
  static Future<TcpPeer> proxy(Vertx vertx, int targetPort) {
    return new TcpPeer(vertx, targetPort, false).listen();
  }

  private Future<TcpPeer> listen() {
    client = vertx.createNetClient();
    server = vertx.createNetServer().connectHandler(this::accept);
    return server.listen(0, "127.0.0.1").map(s -> this);
  }

  private void accept(NetSocket in) {
    accepted.incrementAndGet();
    sockets.add(in);
    in.closeHandler(v -> sockets.remove(in));
    if (silent) {
      in.handler(b -> { });
      return;
    }
    in.pause();
    client.connect(target, "127.0.0.1").onSuccess(out -> {
      sockets.add(out);
      out.closeHandler(v -> {
        sockets.remove(out);
        in.close();
      });
      in.closeHandler(v -> {
        sockets.remove(in);
        out.close();
      });
      in.handler(b -> {
        if (!silent) {
          out.write(b);
        }
      });
      out.handler(b -> {
        if (!silent) {
          in.write(b);
        }
      });
      in.resume();
    }).onFailure(e -> in.close());
  }

  int port() {
    return server.actualPort();
  }

  /** Connections accepted so far. */
  int accepted() {
    return accepted.get();
  }

  /** From now on nothing is forwarded, on the connections open and on new ones. */
  void silence() {
    silent = true;
  }

  /** Forwards again, on new connections (those silenced stay broken: drop them). */
  void resume() {
    silent = false;
  }

  /** Closes every connection held (both sides of the proxied ones). */
  void dropConnections() {
    sockets.forEach(NetSocket::close);
  }

  Future<Void> close() {
    dropConnections();
    return server.close().eventually(() -> client.close());
  }
}
