package io.spoils.gateway.config;

import static io.spoils.gateway.config.RawSettings.bool;
import static io.spoils.gateway.config.RawSettings.path;
import static io.spoils.gateway.config.RawSettings.require;
import static io.spoils.gateway.config.RawSettings.text;

import io.spoils.feature.InvalidInputException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * How the gateway talks to Triton ({@code backend: triton}; where it is: {@link BackendOptions}):
 * TLS and the health checks. {@code cli.ServeCommand} turns them into the backend's
 * {@code TritonOptions}. Sources, later ones winning: the defaults, the JSON config file's keys
 * ({@link #KEYS}), the {@code SPOILS_*} variables ({@code tritonCaFile}:
 * {@code SPOILS_TRITON_CA_FILE}), then the {@code serve} flags.
 *
 * @param tls TLS to Triton's gRPC port (default off: h2c, Triton's default); on by itself when a
 *     CA file or client certificate is given
 * @param caFile CA certificates (PEM) that sign Triton's certificate; empty: the JVM's trust store
 * @param clientCert the gateway's certificate chain (PEM) for mutual TLS; with {@code clientKey}
 * @param clientKey its private key (PEM)
 * @param startupSeconds how long serve waits for Triton's start-up check to pass (retrying) before
 *     it exits with status 1, seconds, &gt; 0 (default {@value #DEFAULT_STARTUP_SECONDS})
 * @param retryInitialSeconds the wait after a first failed check, doubled after each further one,
 *     seconds, &gt; 0 (default {@value #DEFAULT_RETRY_INITIAL_SECONDS})
 * @param retryMaxSeconds the longest wait between failed checks, seconds, &gt;=
 *     {@code retryInitialSeconds} (default {@value #DEFAULT_RETRY_MAX_SECONDS})
 * @param healthPeriodSeconds time between checks while Triton is ready, seconds, &gt; 0 (default
 *     {@value #DEFAULT_HEALTH_PERIOD_SECONDS})
 * @param checkTimeoutSeconds deadline of one check, seconds, &gt; 0 (default
 *     {@value #DEFAULT_CHECK_TIMEOUT_SECONDS})
 */
public record TritonClientOptions(boolean tls, Optional<Path> caFile, Optional<Path> clientCert,
    Optional<Path> clientKey, double startupSeconds, double retryInitialSeconds,
    double retryMaxSeconds, double healthPeriodSeconds, double checkTimeoutSeconds) {

  public static final double DEFAULT_STARTUP_SECONDS = 300;
  public static final double DEFAULT_RETRY_INITIAL_SECONDS = 0.5;
  public static final double DEFAULT_RETRY_MAX_SECONDS = 10;
  public static final double DEFAULT_HEALTH_PERIOD_SECONDS = 5;
  public static final double DEFAULT_CHECK_TIMEOUT_SECONDS = 5;

  private static final String C = "TritonClientOptions";
  /** The settings, as the README's table shows them. */
  public static final List<Setting> SETTINGS = List.of(
      Setting.of(C, "tritonTls", false, "TLS to Triton's gRPC port (on by itself with "
          + "`tritonCaFile` or `tritonClientCert`)"),
      Setting.of(C, "tritonCaFile", "none (JVM trust store)",
          "CA certificates (PEM) that sign Triton's certificate"),
      Setting.of(C, "tritonClientCert", "none", "the gateway's client certificate (PEM) for "
          + "mutual TLS to Triton; with `tritonClientKey`"),
      Setting.of(C, "tritonClientKey", "none", "private key (PEM) of `tritonClientCert`"),
      Setting.of(C, "tritonStartupSeconds", (int) DEFAULT_STARTUP_SECONDS, "how long serve "
          + "retries Triton's start-up check (readiness DOWN) before it exits with status 1"),
      Setting.of(C, "tritonRetryInitialSeconds", DEFAULT_RETRY_INITIAL_SECONDS,
          "wait after a failed Triton check, doubled after each further failure, seconds"),
      Setting.of(C, "tritonRetryMaxSeconds", (int) DEFAULT_RETRY_MAX_SECONDS,
          "longest wait between failed Triton checks, seconds"),
      Setting.of(C, "tritonHealthPeriodSeconds", (int) DEFAULT_HEALTH_PERIOD_SECONDS,
          "time between Triton health checks (ServerReady, ModelReady) while ready, seconds"),
      Setting.of(C, "tritonCheckTimeoutSeconds", (int) DEFAULT_CHECK_TIMEOUT_SECONDS,
          "deadline of one Triton health check, seconds"));

  /** The config-file keys, each also an {@code SPOILS_*} variable ({@link Setting#envName}). */
  public static final Set<String> KEYS = keys();

  /** @throws InvalidInputException for a value out of range or a certificate without its key */
  public TritonClientOptions {
    require(caFile != null && clientCert != null && clientKey != null, "paths must be given");
    require(clientCert.isPresent() == clientKey.isPresent(),
        "tritonClientCert and tritonClientKey go together");
    tls = tls || caFile.isPresent() || clientCert.isPresent();
    positive("tritonStartupSeconds", startupSeconds);
    positive("tritonRetryInitialSeconds", retryInitialSeconds);
    positive("tritonRetryMaxSeconds", retryMaxSeconds);
    positive("tritonHealthPeriodSeconds", healthPeriodSeconds);
    positive("tritonCheckTimeoutSeconds", checkTimeoutSeconds);
    require(retryMaxSeconds >= retryInitialSeconds,
        "tritonRetryMaxSeconds must be >= tritonRetryInitialSeconds");
  }

  /** Plaintext with the default health checks. */
  public static TritonClientOptions defaults() {
    return of(Map.of());
  }

  private static Set<String> keys() {
    Set<String> keys = new TreeSet<>();
    SETTINGS.forEach(s -> keys.add(s.key()));
    return Set.copyOf(keys);
  }

  /**
   * The defaults, then {@code configFile}'s keys of {@link #KEYS} (others are left to
   * {@link ServerOptions#load}), then the variables of {@code env}, then {@code flags} (raw
   * values by config key).
   *
   * @throws InvalidInputException for an unreadable file, or a value of the wrong type or out of
   *     range
   */
  public static TritonClientOptions load(Optional<Path> configFile, Map<String, String> env,
      Map<String, String> flags) {
    JsonObject file = configFile.map(ServerOptions::read).orElseGet(JsonObject::new);
    Map<String, String> values = new HashMap<>();
    for (String key : KEYS) {
      Object v = file.getValue(key);
      require(v == null || v instanceof String || v instanceof Boolean || v instanceof Number,
          key + " must be a string, a boolean or a number");
      if (v != null) {
        values.put(key, String.valueOf(v));
      }
      RawSettings.overlay(values, key, env, flags);
    }
    return of(values);
  }

  /** These options from raw values by config key (absent or blank: the default). */
  public static TritonClientOptions of(Map<String, String> values) {
    return new TritonClientOptions(bool(values, "tritonTls"), path(values, "tritonCaFile"),
        path(values, "tritonClientCert"), path(values, "tritonClientKey"),
        number(values, "tritonStartupSeconds", DEFAULT_STARTUP_SECONDS),
        number(values, "tritonRetryInitialSeconds", DEFAULT_RETRY_INITIAL_SECONDS),
        number(values, "tritonRetryMaxSeconds", DEFAULT_RETRY_MAX_SECONDS),
        number(values, "tritonHealthPeriodSeconds", DEFAULT_HEALTH_PERIOD_SECONDS),
        number(values, "tritonCheckTimeoutSeconds", DEFAULT_CHECK_TIMEOUT_SECONDS));
  }

  private static double number(Map<String, String> values, String key, double fallback) {
    Optional<String> v = text(values, key);
    try {
      return v.isEmpty() ? fallback : Double.parseDouble(v.get());
    } catch (NumberFormatException e) {
      throw new InvalidInputException(key + " must be a number");
    }
  }

  private static void positive(String key, double value) {
    require(value >= 0.001 && value <= Integer.MAX_VALUE / 1000.0,
        key + " must be 0.001 to " + Integer.MAX_VALUE / 1000 + " seconds");
  }
}
