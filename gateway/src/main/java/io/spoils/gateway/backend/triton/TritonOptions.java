package io.spoils.gateway.backend.triton;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how {@link TritonBackend} reaches a Triton server over gRPC (KServe v2 protocol).
 *
 * @param host server host name or address
 * @param port gRPC port, 1 to 65535 (Triton's default is {@value #DEFAULT_PORT})
 * @param maxMessageSize largest gRPC message accepted, in bytes, &gt;= 1 MiB; well above gRPC's usual
 *     4 MiB because segmentation answers are large: [4, 5, Hp, Wp] FP32 is 26.5 MB at a
 *     450 mm field of view (576 x 576) and 84 MB at the contract's largest 1024 x 1024
 * @param connectTimeout how long opening the TCP connection may take, positive
 *     (connecting is also bounded by each call's deadline)
 * @param tls empty: HTTP/2 without TLS (h2c with prior knowledge, Triton's default); else TLS as
 *     {@link TritonTls} says
 * @param health start-up retries, the start-up limit and the periodic checks
 */
public record TritonOptions(String host, int port, long maxMessageSize, Duration connectTimeout,
    Optional<TritonTls> tls, TritonHealthOptions health) {

  /** Triton's default gRPC port. */
  public static final int DEFAULT_PORT = 8001;
  /**
   * Default largest message: 96 MiB, room for a full segmentation batch of 4 at the contract's
   * largest padded size (4 x 5 x 1024 x 1024 FP32 = 80 MiB).
   */
  public static final long DEFAULT_MAX_MESSAGE_SIZE = 96L * 1024 * 1024;
  /** Default connect timeout: 5 s. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  public TritonOptions {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(health, "health");
    if (host.isBlank()) {
      throw new IllegalArgumentException("Triton host is empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("Triton port must be 1 to 65535, got " + port);
    }
    if (maxMessageSize < 1024 * 1024) {
      throw new IllegalArgumentException("max message size must be at least 1 MiB, got "
          + maxMessageSize);
    }
    if (connectTimeout.isNegative() || connectTimeout.isZero()
        || connectTimeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("connect timeout must be positive, got " + connectTimeout);
    }
  }

  /**
   * Plaintext to {@code host}:{@code port} with the default message size, connect timeout and
   * health checks.
   */
  public static TritonOptions of(String host, int port) {
    return new TritonOptions(host, port, DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_CONNECT_TIMEOUT,
        Optional.empty(), TritonHealthOptions.defaults());
  }

  /** These options with TLS as {@code value} says (empty: plaintext). */
  public TritonOptions withTls(Optional<TritonTls> value) {
    return new TritonOptions(host, port, maxMessageSize, connectTimeout, value, health);
  }

  /** These options with {@code value}'s health checks. */
  public TritonOptions withHealth(TritonHealthOptions value) {
    return new TritonOptions(host, port, maxMessageSize, connectTimeout, tls, value);
  }

  /** Plaintext to {@code localhost}:{@value #DEFAULT_PORT} with the defaults. */
  public static TritonOptions defaults() {
    return of("localhost", DEFAULT_PORT);
  }
}
