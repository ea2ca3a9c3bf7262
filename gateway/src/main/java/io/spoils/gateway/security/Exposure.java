package io.spoils.gateway.security;

import io.spoils.feature.InvalidInputException;
import io.spoils.gateway.config.SecurityOptions;
import io.spoils.gateway.config.TlsOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The secure default of the listener: on the loopback interface anything goes; on any other
 * address the service needs TLS (else anyone on the path reads studies and tokens) and a
 * credential check (API tokens, a JWKS, or required client certificates; else every route is
 * open to the network). Without them, start-up is refused unless
 * {@link io.spoils.gateway.config.ExposureOptions#insecure()} is set (a service mesh or proxy
 * terminates TLS and authenticates in front), and then it says so in a warning.
 */
public final class Exposure {

  private Exposure() {}

  /**
   * Checks binding {@code host} with {@code security} (resolves a host name: call it at
   * start-up, off the event loop).
   *
   * @return the warning to print at start-up, if any
   * @throws InvalidInputException the one-line reason start-up is refused
   */
  public static Optional<String> check(String host, SecurityOptions security) {
    if (loopback(host)) {
      return Optional.empty();
    }
    List<String> missing = new ArrayList<>();
    if (!security.tls().enabled()) {
      missing.add("in plaintext (no tlsCert/tlsKey)");
    }
    if (!authenticated(security)) {
      missing.add("with every route open (no authTokensFile, authJwksFile or required client "
          + "certificates)");
    }
    if (missing.isEmpty()) {
      return Optional.empty();
    }
    String what = host + " " + String.join(" and ", missing);
    if (!security.exposure().insecure()) {
      throw new InvalidInputException("refusing to listen on " + what + ": without TLS and authentication "
          + "only the loopback interface is served; set them (--tls-cert, --tls-key, "
          + "--auth-tokens-file), or give --insecure (SPOILS_INSECURE=true) where a service "
          + "mesh or proxy terminates TLS");
    }
    return Optional.of("WARNING: --insecure: listening on " + what
        + "; anyone who reaches this address can use the service");
  }

  /** Whether a request needs a credential the server checks. */
  static boolean authenticated(SecurityOptions security) {
    TlsOptions tls = security.tls();
    return security.auth().enabled() || tls.enabled() && tls.clientCa().isPresent()
        && tls.clientAuth() == TlsOptions.ClientAuth.REQUIRED;
  }

  /**
   * Whether {@code host} names only loopback addresses ({@code localhost}, 127.0.0.0/8,
   * {@code ::1}); a name that does not resolve is not.
   */
  public static boolean loopback(String host) {
    String h = host.trim();
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.isEmpty()) {
      return false;
    }
    try {
      InetAddress[] all = InetAddress.getAllByName(h);
      for (InetAddress a : all) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return all.length > 0;
    } catch (UnknownHostException | SecurityException e) {
      return false;
    }
  }
}
