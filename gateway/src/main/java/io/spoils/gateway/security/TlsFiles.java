package io.spoils.gateway.security;

import io.spoils.feature.InvalidInputException;
import io.spoils.gateway.config.TlsOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * TLS on the listener from PEM files ({@link TlsOptions}): TLS 1.2 and 1.3 only, ALPN (h2, then
 * http/1.1), mutual TLS with a client CA. The files' contents (not their paths) go into the
 * options, so that {@link #watch} can tell a change and hand the new certificate to the running
 * server ({@link HttpServer#updateSSLOptions}); connections already open keep theirs. A change
 * that does not load (a half-written file) is logged and retried at the next check; the server
 * keeps its current certificate meanwhile.
 */
public final class TlsFiles {

  /** The protocols accepted: TLS 1.2 and 1.3. */
  public static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
  private static final Logger LOG = Logger.getLogger(TlsFiles.class.getName());

  private final TlsOptions options;
  private final List<byte[]> contents;

  private TlsFiles(TlsOptions options, List<byte[]> contents) {
    this.options = options;
    this.contents = contents;
  }

  /**
   * Reads the files (blocking: at start-up, or on a worker).
   *
   * @throws InvalidInputException when one cannot be read
   */
  public static TlsFiles read(TlsOptions options) {
    List<byte[]> out = new ArrayList<>();
    for (Path p : files(options)) {
      try {
        out.add(Files.readAllBytes(p));
      } catch (IOException e) {
        throw new InvalidInputException("cannot read the TLS file " + p, e);
      }
    }
    return new TlsFiles(options, out);
  }

  private static List<Path> files(TlsOptions o) {
    List<Path> files = new ArrayList<>(List.of(o.cert().orElseThrow(), o.key().orElseThrow()));
    o.clientCa().ifPresent(files::add);
    return files;
  }

  /** {@code server} set up for TLS with these files. */
  public HttpServerOptions apply(HttpServerOptions server) {
    ServerSSLOptions ssl = sslOptions();
    return server.setSsl(true).setUseAlpn(true)
        .setEnabledSecureTransportProtocols(ssl.getEnabledSecureTransportProtocols())
        .setKeyCertOptions(ssl.getKeyCertOptions()).setTrustOptions(ssl.getTrustOptions())
        .setClientAuth(ssl.getClientAuth());
  }

  /** These files as SSL options. */
  public ServerSSLOptions sslOptions() {
    ServerSSLOptions ssl = new ServerSSLOptions().setUseAlpn(true)
        .setEnabledSecureTransportProtocols(PROTOCOLS)
        .setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(contents.get(0)))
            .setKeyValue(Buffer.buffer(contents.get(1))));
    if (contents.size() > 2) {
      ssl.setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(contents.get(2))))
          .setClientAuth(options.clientAuth() == TlsOptions.ClientAuth.REQUIRED
              ? ClientAuth.REQUIRED : ClientAuth.REQUEST);
    }
    return ssl;
  }

  private boolean sameAs(TlsFiles other) {
    if (other.contents.size() != contents.size()) {
      return false;
    }
    for (int i = 0; i < contents.size(); i++) {
      if (!Arrays.equals(contents.get(i), other.contents.get(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Checks the files every {@link TlsOptions#reloadSeconds()} (read on a worker thread) and
   * updates {@code server} when they changed.
   *
   * @return the periodic timer's id: cancel it when the server closes
   */
  public long watch(Vertx vertx, HttpServer server) {
    long period = Math.max(100, Math.round(options.reloadSeconds() * 1000));
    TlsFiles[] current = {this};
    return vertx.setPeriodic(period, id -> vertx.executeBlocking(() -> read(options), false)
        .onSuccess(next -> {
          if (next.sameAs(current[0])) {
            return;
          }
          server.updateSSLOptions(next.sslOptions(), true).onComplete(ar -> {
            if (ar.succeeded()) {
              current[0] = next;
              LOG.info("TLS certificate files changed: reloaded");
            } else {
              LOG.warning("TLS certificate files changed but do not load (retrying): "
                  + ar.cause().getMessage());
            }
          });
        })
        .onFailure(e -> LOG.warning("TLS certificate files unreadable (retrying): "
            + e.getMessage())));
  }
}
