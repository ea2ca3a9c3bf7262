package io.spoils.gateway.security;

import io.spoils.gateway.config.SecurityOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The listener's security, loaded: its options, the {@link Authenticator} with the token and
 * JWKS files read, and the TLS files. Made once at start-up, before the listener binds.
 *
 * @param options as configured
 * @param authenticator decides each request (lets everything through with authentication off)
 * @param tls the listener's certificate and key (and client CA); empty: plaintext
 * @param credentials re-reads the token and JWKS files into {@code authenticator}
 */
public record Security(SecurityOptions options, Authenticator authenticator,
    Optional<TlsFiles> tls, CredentialFiles credentials) {

  /**
   * Reads the files {@code options} name (blocking: call it at start-up).
   *
   * @throws io.spoils.feature.InvalidInputException for an unreadable or malformed file
   */
  public static Security load(SecurityOptions options) {
    Authenticator authenticator = Authenticator.load(options.auth());
    return new Security(options, authenticator,
        options.tls().enabled() ? Optional.of(TlsFiles.read(options.tls())) : Optional.empty(),
        new CredentialFiles(options.auth(), authenticator));
  }

  /** Open, plaintext, any Host. */
  public static Security none() {
    return load(SecurityOptions.none());
  }

  /**
   * Reloads the TLS files into {@code server} and the token and JWKS files into the
   * authenticator when they change.
   *
   * @return stops the checks (call it when the server closes)
   */
  public Runnable watch(Vertx vertx, HttpServer server) {
    List<Long> timers = new ArrayList<>();
    tls.ifPresent(t -> timers.add(t.watch(vertx, server)));
    if (credentials.any()) {
      timers.add(credentials.watch(vertx));
    }
    return () -> timers.forEach(vertx::cancelTimer);
  }
}
