package io.spoils.gateway.config;

import java.util.List;

/**
 * Where {@code spoils serve} listens: one TCP port serving gRPC and HTTP
 * ({@code server.SpoilsServer}).
 *
 * @param host address to bind (default {@value #DEFAULT_HOST}, the loopback interface: any other
 *     address needs TLS and authentication, or {@link ExposureOptions#insecure()})
 * @param port TCP port, 0-65535 (default {@value #DEFAULT_PORT}; 0 picks a free one)
 */
public record ListenOptions(String host, int port) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;

  /** The settings, as the README's table shows them. */
  public static final List<Setting> SETTINGS = List.of(
      Setting.of("ListenOptions", "host", DEFAULT_HOST, "address to bind; any but loopback "
          + "needs TLS and authentication (or `insecure`), e.g. 0.0.0.0 for every interface"),
      Setting.of("ListenOptions", "port", DEFAULT_PORT,
          "TCP port serving gRPC and HTTP (0 picks a free one)"));

  public static ListenOptions defaults() {
    return new ListenOptions(DEFAULT_HOST, DEFAULT_PORT);
  }
}
