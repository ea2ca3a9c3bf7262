package io.spoils.gateway.cli;

import io.spoils.gateway.backend.triton.TritonHealthOptions;
import io.spoils.gateway.backend.triton.TritonOptions;
import io.spoils.gateway.backend.triton.TritonTls;
import io.spoils.gateway.config.BackendOptions;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.config.TritonClientOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code serve}'s flags for the connection to Triton, each the config key of the same name
 * ({@link TritonClientOptions}); a flag wins over the config file and the {@code SPOILS_*}
 * variables. Also turns the settings into the backend's {@link TritonOptions}.
 */
final class TritonFlags {

  @Option(names = "--triton-tls", paramLabel = "BOOL", arity = "0..1", fallbackValue = "true",
      description = "TLS to Triton's gRPC port.")
  private String tritonTls;

  @Option(names = "--triton-ca-file", paramLabel = "PEM",
      description = "CA certificates of Triton's certificate (implies --triton-tls).")
  private String tritonCaFile;

  @Option(names = "--triton-client-cert", paramLabel = "PEM",
      description = "Client certificate for mutual TLS to Triton.")
  private String tritonClientCert;

  @Option(names = "--triton-client-key", paramLabel = "PEM",
      description = "Private key of --triton-client-cert.")
  private String tritonClientKey;

  @Option(names = "--triton-startup-seconds", paramLabel = "S",
      description = "Exit (status 1) when Triton's start-up check has not passed by then.")
  private String tritonStartupSeconds;

  /** The flags given, by config key. */
  Map<String, String> values() {
    Map<String, String> out = new LinkedHashMap<>();
    put(out, "tritonTls", tritonTls);
    put(out, "tritonCaFile", tritonCaFile);
    put(out, "tritonClientCert", tritonClientCert);
    put(out, "tritonClientKey", tritonClientKey);
    put(out, "tritonStartupSeconds", tritonStartupSeconds);
    return out;
  }

  private static void put(Map<String, String> out, String key, String value) {
    if (value != null) {
      out.put(key, value);
    }
  }

  /** The Triton backend's options: where ({@code server}) and how ({@code client}). */
  static TritonOptions options(ServerOptions server, TritonClientOptions client) {
    BackendOptions b = server.backendOptions();
    TritonHealthOptions health = new TritonHealthOptions(
        ServerOptions.seconds(client.startupSeconds()),
        ServerOptions.seconds(client.retryInitialSeconds()),
        ServerOptions.seconds(client.retryMaxSeconds()),
        ServerOptions.seconds(client.healthPeriodSeconds()),
        ServerOptions.seconds(client.checkTimeoutSeconds()));
    Optional<TritonTls> tls = client.tls() ? Optional.of(new TritonTls(client.caFile(),
        client.clientCert(), client.clientKey())) : Optional.empty();
    return TritonOptions.of(b.tritonHost(), b.tritonPort()).withHealth(health).withTls(tls);
  }

  /** One start-up line on the connection to Triton (names no file). */
  static String describe(TritonOptions options) {
    String tls = options.tls().isEmpty() ? "plaintext" : options.tls().get().mutual()
        ? "TLS with a client certificate" : "TLS";
    return "spoils: Triton at " + options.host() + ":" + options.port() + " (" + tls
        + "); readiness follows its health, start-up limit "
        + options.health().startupLimit().toSeconds() + " s";
  }
}
