package io.spoils.gateway.security;

import io.spoils.gateway.config.SecurityOptions;

/**
 * The listener's security, loaded: its options and the {@link Authenticator} with the token and
 * JWKS files read. Made once at start-up, before the listener binds.
 *
 * @param options as configured
 * @param authenticator decides each request (lets everything through with authentication off)
 */
public record Security(SecurityOptions options, Authenticator authenticator) {

  /**
   * Reads the files {@code options} name (blocking: call it at start-up).
   *
   * @throws io.spoils.feature.InvalidInputException for an unreadable or malformed file
   */
  public static Security load(SecurityOptions options) {
    return new Security(options, Authenticator.load(options.auth()));
  }

  /** Open, plaintext, any Host. */
  public static Security none() {
    return load(SecurityOptions.none());
  }
}
