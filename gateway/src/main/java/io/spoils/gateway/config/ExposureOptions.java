package io.spoils.gateway.config;

import java.util.List;

/**
 * Whether {@code spoils serve} may be reached from other hosts without its protections
 * ({@code security.Exposure}). Without TLS it listens on the loopback interface only, and without
 * a credential check (tokens, a JWKS, or required client certificates) too: binding any other
 * address then needs {@code insecure}, which start-up reports in a warning line. Meant for a
 * service mesh or proxy that terminates TLS and authenticates in front of the gateway.
 *
 * @param insecure whether a non-loopback address may be bound in plaintext or with every route
 *     open (default false: start-up refuses)
 */
public record ExposureOptions(boolean insecure) {

  /** The settings, as the README's table shows them. */
  public static final List<Setting> SETTINGS = List.of(
      Setting.of("ExposureOptions", "insecure", "false", "allow a non-loopback `host` without "
          + "TLS or without authentication (a service mesh terminates TLS); warned at start-up"));

  /** Loopback only unless protected. */
  public static ExposureOptions secure() {
    return new ExposureOptions(false);
  }
}
