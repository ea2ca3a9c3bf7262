package io.spoils.gateway.security;

import io.spoils.gateway.config.SecurityOptions;
import java.util.Optional;

/**
 * The listener's security, loaded: its options, the {@link Authenticator} with the token and
 * JWKS files read, and the TLS files. Made once at start-up, before the listener binds.
 *
 * @param options as configured
 * @param authenticator decides each request (lets everything through with authentication off)
 * @param tls the listener's certificate and key (and client CA); empty: plaintext
 */
public record Security(SecurityOptions options, Authenticator authenticator,
    Optional<TlsFiles> tls) {

  /**
   * Reads the files {@code options} name (blocking: call it at start-up).
   *
   * @throws io.spoils.feature.InvalidInputException for an unreadable or malformed file
   */
  public static Security load(SecurityOptions options) {
    return new Security(options, Authenticator.load(options.auth()),
        options.tls().enabled() ? Optional.of(TlsFiles.read(options.tls())) : Optional.empty());
  }

  /** Open, plaintext, any Host. */
  public static Security none() {
    return load(SecurityOptions.none());
  }
}
