package io.spoils.gateway.config;

import io.spoils.feature.InvalidInputException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * TLS on the gRPC+HTTP listener ({@code security.TlsFiles}): a certificate chain and its private
 * key as PEM files, TLS 1.2 and 1.3 only, ALPN h2 and http/1.1, the files re-read when they
 * change. With a client CA, mutual TLS.
 *
 * @param cert the certificate chain, PEM (leaf first)
 * @param key its private key, PEM (PKCS#8 or PKCS#1)
 * @param clientCa CA certificates (PEM) that sign accepted client certificates; empty: no mTLS
 * @param clientAuth with {@code clientCa}: {@code required} (the default: a connection without a
 *     valid client certificate fails its handshake) or {@code optional}
 * @param reloadSeconds how often the files are checked for changes, seconds, &gt; 0 (default
 *     {@value #DEFAULT_RELOAD_SECONDS})
 */
public record TlsOptions(Optional<Path> cert, Optional<Path> key, Optional<Path> clientCa,
    ClientAuth clientAuth, double reloadSeconds) {

  public static final double DEFAULT_RELOAD_SECONDS = 30;

  /** Whether a client certificate must be shown when a client CA is configured. */
  public enum ClientAuth {
    REQUIRED, OPTIONAL;

    /** {@code required} or {@code optional}. */
    public static ClientAuth parse(String value) {
      for (ClientAuth c : values()) {
        if (c.name().equalsIgnoreCase(value.trim())) {
          return c;
        }
      }
      throw new InvalidInputException("tlsClientAuth must be \"required\" or \"optional\"");
    }

    public String value() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final String C = "TlsOptions";
  /** The settings, as the README's table shows them. */
  public static final List<Setting> SETTINGS = List.of(
      Setting.of(C, "tlsCert", "none", "certificate chain (PEM) of the listener: TLS 1.2+, ALPN "
          + "h2; with `tlsKey`"),
      Setting.of(C, "tlsKey", "none", "private key (PEM) of `tlsCert`"),
      Setting.of(C, "tlsClientCa", "none", "CA certificates (PEM) of accepted client "
          + "certificates (mutual TLS)"),
      Setting.of(C, "tlsClientAuth", "required", "with `tlsClientCa`: `required` or `optional`"),
      Setting.of(C, "tlsReloadSeconds", (int) DEFAULT_RELOAD_SECONDS,
          "how often the PEM files are checked for changes (then reloaded), seconds"));

  /** @throws InvalidInputException for a certificate without key or the reverse */
  public TlsOptions {
    if (cert.isPresent() != key.isPresent()) {
      throw new InvalidInputException("tlsCert and tlsKey go together");
    }
    if (clientCa.isPresent() && cert.isEmpty()) {
      throw new InvalidInputException("tlsClientCa needs tlsCert and tlsKey");
    }
    if (!(reloadSeconds > 0 && Double.isFinite(reloadSeconds))) {
      throw new InvalidInputException("tlsReloadSeconds must be > 0");
    }
  }

  /** Plaintext. */
  public static TlsOptions none() {
    return new TlsOptions(Optional.empty(), Optional.empty(), Optional.empty(),
        ClientAuth.REQUIRED, DEFAULT_RELOAD_SECONDS);
  }

  /** Whether the listener speaks TLS. */
  public boolean enabled() {
    return cert.isPresent();
  }
}
