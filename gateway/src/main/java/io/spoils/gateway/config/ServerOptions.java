package io.spoils.gateway.config;

import io.spoils.feature.InvalidInputException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Settings of {@code spoils serve}, the sum of the components' options: {@link #listen()},
 * {@link #admission()}, {@link #backendOptions()}, {@link #cors()} and {@link #ingest()}; each
 * component's options class documents its settings ({@code SETTINGS}), and the README's table is
 * generated from them ({@link SettingsTable}). Sources, later ones winning: the defaults below, a JSON config
 * file (keys as the record components, e.g. {@code {"port": 9090, "maxInFlight": 2}}), environment
 * variables ({@code SPOILS_HOST}, {@code SPOILS_PORT}, {@code SPOILS_MAX_IN_FLIGHT},
 * {@code SPOILS_MAX_QUEUED}, {@code SPOILS_MAX_UPLOAD_BYTES}, {@code SPOILS_MAX_FILES},
 * {@code SPOILS_TIMEOUT_SECONDS}, {@code SPOILS_RETRY_AFTER_SECONDS}, {@code SPOILS_BACKEND},
 * {@code SPOILS_TRITON_HOST}, {@code SPOILS_TRITON_PORT}, {@code SPOILS_MAX_QUEUE_WAIT_SECONDS},
 * {@code SPOILS_SIMULATED_LATENCY_MS}, {@code SPOILS_SIMULATED_JITTER_MS},
 * {@code SPOILS_CORS_ALLOWED_ORIGINS}).
 *
 * @param host address to bind (default {@value #DEFAULT_HOST})
 * @param port TCP port serving both gRPC and HTTP (default {@value #DEFAULT_PORT}; 0 picks a free one)
 * @param maxInFlight studies analysed at once, &gt;= 1 (default {@value #DEFAULT_MAX_IN_FLIGHT})
 * @param maxQueued studies waiting for a slot, &gt;= 0 (default {@value #DEFAULT_MAX_QUEUED});
 *     beyond them a request is refused at once (RESOURCE_EXHAUSTED / HTTP 429)
 * @param maxUploadBytes bytes of one study (all files together), &gt;= 1 (default 64 MiB)
 * @param maxFiles files of one study, &gt;= 1 (default {@value #DEFAULT_MAX_FILES})
 * @param timeoutSeconds deadline of one analysis, and of its request's arrival once its headers
 *     came (an upload holds an admission slot), seconds, &gt; 0 (default 60)
 * @param retryAfterSeconds the Retry-After a refused request is told, seconds, &gt;= 1 (default 2)
 * @param backend where the models run: {@code embedded} (in-process ONNX Runtime, the default),
 *     {@code triton} (a Triton server over gRPC) or {@code simulated} (no models: fixed outputs after
 *     a set latency, for measuring the gateway alone; results are not medical output)
 * @param tritonHost the Triton server's host when {@code backend} is {@code triton} (default
 *     {@value #DEFAULT_TRITON_HOST})
 * @param tritonPort the Triton server's gRPC port, 1-65535 (default {@value #DEFAULT_TRITON_PORT})
 * @param maxQueueWaitSeconds the longest a study waits in the admission queue for a slot, seconds,
 *     &gt; 0 (default {@value #DEFAULT_MAX_QUEUE_WAIT_SECONDS}); a study still waiting then (or at
 *     its caller's deadline, if sooner) is refused with RESOURCE_EXHAUSTED / HTTP 429. The
 *     analysis's own {@code timeoutSeconds} starts when it leaves the queue.
 * @param simulatedLatencyMs with the simulated backend, the fixed latency of each model call,
 *     milliseconds, &gt;= 0 (default {@value #DEFAULT_SIMULATED_LATENCY_MS})
 * @param simulatedJitterMs with the simulated backend, a uniformly random extra latency of 0 to this
 *     many milliseconds per call, &gt;= 0 (default 0)
 * @param ingest DICOMweb PACS and the C-STORE listener (default: none, off); config-file keys
 *     {@code pacs}, {@code dicomPort}, {@code dicomAe} and their variables are documented in
 *     {@link IngestOptions}
 * @param corsAllowedOrigins browser origins allowed to call the service from another origin
 *     (CORS, {@link io.spoils.gateway.server.Cors}): exact origins such as
 *     {@code https://viewer.example.org} (scheme, host, optional port; compared case-insensitively)
 *     or the single entry {@code *} for any origin. Default empty: no CORS headers at all, so
 *     browsers refuse cross-origin calls. In the config file a JSON array or a comma-separated
 *     string; in {@code SPOILS_CORS_ALLOWED_ORIGINS} comma-separated.
 */
public record ServerOptions(String host, int port, int maxInFlight, int maxQueued,
    long maxUploadBytes, int maxFiles, double timeoutSeconds, int retryAfterSeconds,
    Backend backend, String tritonHost, int tritonPort, double maxQueueWaitSeconds,
    double simulatedLatencyMs, double simulatedJitterMs, IngestOptions ingest,
    List<String> corsAllowedOrigins) {

  /** Where the models run. */
  public enum Backend {
    /** In process, ONNX Runtime on the CPU. */
    EMBEDDED,
    /** On a Triton Inference Server (KServe v2 gRPC). */
    TRITON,
    /** No models: the simulated backend's fixed outputs after a set latency. */
    SIMULATED;

    /** The configuration value: {@code embedded}, {@code triton} or {@code simulated}. */
    public String value() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** @throws InvalidInputException for anything but {@code embedded}, {@code triton} or {@code simulated} */
    public static Backend parse(String value) {
      for (Backend b : values()) {
        if (b.value().equalsIgnoreCase(value == null ? "" : value.trim())) {
          return b;
        }
      }
      throw new InvalidInputException("backend must be \"embedded\", \"triton\" or \"simulated\", got \""
          + value + "\"");
    }
  }

  public static final String DEFAULT_HOST = ListenOptions.DEFAULT_HOST;
  public static final int DEFAULT_PORT = ListenOptions.DEFAULT_PORT;
  public static final int DEFAULT_MAX_IN_FLIGHT = AdmissionOptions.DEFAULT_MAX_IN_FLIGHT;
  public static final int DEFAULT_MAX_QUEUED = AdmissionOptions.DEFAULT_MAX_QUEUED;
  public static final long DEFAULT_MAX_UPLOAD_BYTES = AdmissionOptions.DEFAULT_MAX_UPLOAD_BYTES;
  public static final int DEFAULT_MAX_FILES = AdmissionOptions.DEFAULT_MAX_FILES;
  public static final String DEFAULT_TRITON_HOST = BackendOptions.DEFAULT_TRITON_HOST;
  public static final int DEFAULT_TRITON_PORT = BackendOptions.DEFAULT_TRITON_PORT;
  public static final double DEFAULT_SIMULATED_LATENCY_MS =
      BackendOptions.DEFAULT_SIMULATED_LATENCY_MS;
  /** Default longest wait in the admission queue: half the default analysis timeout. */
  public static final double DEFAULT_MAX_QUEUE_WAIT_SECONDS =
      AdmissionOptions.DEFAULT_MAX_QUEUE_WAIT_SECONDS;

  /** The top-level config-file keys: those of the components' settings. */
  private static final Set<String> KEYS = keys();
  /** An origin as browsers send it: scheme, host and optional port; no path, no trailing slash. */
  private static final java.util.regex.Pattern ORIGIN =
      java.util.regex.Pattern.compile("[a-z][a-z0-9+.-]*://[^/?#\\s@]+");

  /** @throws InvalidInputException when a value is out of range */
  public ServerOptions {
    require(host != null && !host.isBlank(), "host must not be empty");
    require(port >= 0 && port <= 65535, "port must be 0-65535");
    require(maxInFlight >= 1, "maxInFlight must be >= 1");
    require(maxQueued >= 0, "maxQueued must be >= 0");
    require(maxUploadBytes >= 1 && maxUploadBytes <= Integer.MAX_VALUE,
        "maxUploadBytes must be 1-" + Integer.MAX_VALUE);
    require(maxFiles >= 1, "maxFiles must be >= 1");
    require(timeoutSeconds > 0 && Double.isFinite(timeoutSeconds), "timeoutSeconds must be > 0");
    require(retryAfterSeconds >= 1, "retryAfterSeconds must be >= 1");
    require(backend != null, "backend must be \"embedded\", \"triton\" or \"simulated\"");
    require(tritonHost != null && !tritonHost.isBlank(), "tritonHost must not be empty");
    require(tritonPort >= 1 && tritonPort <= 65535, "tritonPort must be 1-65535");
    require(maxQueueWaitSeconds > 0 && Double.isFinite(maxQueueWaitSeconds),
        "maxQueueWaitSeconds must be > 0");
    require(simulatedLatencyMs >= 0 && Double.isFinite(simulatedLatencyMs),
        "simulatedLatencyMs must be >= 0");
    require(simulatedJitterMs >= 0 && Double.isFinite(simulatedJitterMs),
        "simulatedJitterMs must be >= 0");
    require(ingest != null, "ingest options must be given");
    corsAllowedOrigins = checkOrigins(corsAllowedOrigins);
  }

  /**
   * These settings with the default {@link #DEFAULT_MAX_QUEUE_WAIT_SECONDS queue wait}, simulated
   * latency and ingest (none).
   */
  public ServerOptions(String host, int port, int maxInFlight, int maxQueued, long maxUploadBytes,
      int maxFiles, double timeoutSeconds, int retryAfterSeconds, Backend backend,
      String tritonHost, int tritonPort) {
    this(host, port, maxInFlight, maxQueued, maxUploadBytes, maxFiles, timeoutSeconds,
        retryAfterSeconds, backend, tritonHost, tritonPort, DEFAULT_MAX_QUEUE_WAIT_SECONDS,
        DEFAULT_SIMULATED_LATENCY_MS, 0, IngestOptions.defaults(), List.of());
  }

  /** The given limits with the embedded backend and the default Triton address. */
  public ServerOptions(String host, int port, int maxInFlight, int maxQueued, long maxUploadBytes,
      int maxFiles, double timeoutSeconds, int retryAfterSeconds) {
    this(host, port, maxInFlight, maxQueued, maxUploadBytes, maxFiles, timeoutSeconds,
        retryAfterSeconds, Backend.EMBEDDED, DEFAULT_TRITON_HOST, DEFAULT_TRITON_PORT);
  }

  public static ServerOptions defaults() {
    return new ServerOptions(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_QUEUED,
        DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_MAX_FILES, AdmissionOptions.DEFAULT_TIMEOUT_SECONDS,
        AdmissionOptions.DEFAULT_RETRY_AFTER_SECONDS);
  }

  private static Set<String> keys() {
    Set<String> keys = new java.util.TreeSet<>();
    for (List<Setting> settings : List.of(ListenOptions.SETTINGS, AdmissionOptions.SETTINGS,
        BackendOptions.SETTINGS, CorsOptions.SETTINGS, TritonClientOptions.SETTINGS)) {
      settings.forEach(s -> keys.add(s.key()));
    }
    return Set.copyOf(keys);
  }

  /** Where to listen. */
  public ListenOptions listen() {
    return new ListenOptions(host, port);
  }

  /** How many studies, how large and how long. */
  public AdmissionOptions admission() {
    return new AdmissionOptions(maxInFlight, maxQueued, maxQueueWaitSeconds, timeoutSeconds,
        retryAfterSeconds, maxUploadBytes, maxFiles);
  }

  /** Where the models run. */
  public BackendOptions backendOptions() {
    return new BackendOptions(backend, tritonHost, tritonPort, simulatedLatencyMs,
        simulatedJitterMs);
  }

  /** Which browser origins are let in. */
  public CorsOptions cors() {
    return new CorsOptions(corsAllowedOrigins);
  }

  /**
   * Defaults, then {@code configFile} (when given), then the {@code SPOILS_*} variables of
   * {@code env}.
   *
   * @throws InvalidInputException for an unreadable or malformed file, an unknown key or a bad value
   */
  public static ServerOptions load(Optional<Path> configFile, Map<String, String> env) {
    JsonObject json = defaults().toJson();
    JsonObject file = new JsonObject();
    if (configFile.isPresent()) {
      file = read(configFile.get());
      for (String key : file.fieldNames()) {
        require(KEYS.contains(key) || IngestOptions.KEYS.contains(key) || SecurityOptions.has(key)
            || ConnectionOptions.has(key), "unknown key \"" + key + "\" in the server config file");
      }
      json.mergeIn(file.copy());
      json.fieldNames().removeIf(k -> !KEYS.contains(k)); // ingest, security: read on their own
    }
    for (String key : KEYS) {
      String value = env.get(envName(key));
      if (value != null && !value.isBlank()) {
        json.put(key, value.trim());
      }
    }
    return fromJson(json).withIngest(IngestOptions.load(file, env));
  }

  /** {@code maxInFlight} -&gt; {@code SPOILS_MAX_IN_FLIGHT}. */
  static String envName(String key) {
    return Setting.envName(key);
  }

  public ServerOptions withPort(int value) {
    return new ServerOptions(host, value, maxInFlight, maxQueued, maxUploadBytes, maxFiles,
        timeoutSeconds, retryAfterSeconds, backend, tritonHost, tritonPort, maxQueueWaitSeconds,
        simulatedLatencyMs, simulatedJitterMs, ingest, corsAllowedOrigins);
  }

  public ServerOptions withHost(String value) {
    return new ServerOptions(value, port, maxInFlight, maxQueued, maxUploadBytes, maxFiles,
        timeoutSeconds, retryAfterSeconds, backend, tritonHost, tritonPort, maxQueueWaitSeconds,
        simulatedLatencyMs, simulatedJitterMs, ingest, corsAllowedOrigins);
  }

  public ServerOptions withAdmission(int inFlight, int queued) {
    return new ServerOptions(host, port, inFlight, queued, maxUploadBytes, maxFiles,
        timeoutSeconds, retryAfterSeconds, backend, tritonHost, tritonPort, maxQueueWaitSeconds,
        simulatedLatencyMs, simulatedJitterMs, ingest, corsAllowedOrigins);
  }

  /** These settings with the models on {@code value}, at {@code tritonHost}:{@code tritonPort}. */
  public ServerOptions withBackend(Backend value, String tritonHost, int tritonPort) {
    return new ServerOptions(host, port, maxInFlight, maxQueued, maxUploadBytes, maxFiles,
        timeoutSeconds, retryAfterSeconds, value, tritonHost, tritonPort, maxQueueWaitSeconds,
        simulatedLatencyMs, simulatedJitterMs, ingest, corsAllowedOrigins);
  }

  /** These settings with the simulated backend's latency and jitter, milliseconds. */
  public ServerOptions withSimulated(double latencyMs, double jitterMs) {
    return new ServerOptions(host, port, maxInFlight, maxQueued, maxUploadBytes, maxFiles,
        timeoutSeconds, retryAfterSeconds, Backend.SIMULATED, tritonHost, tritonPort,
        maxQueueWaitSeconds, latencyMs, jitterMs, ingest, corsAllowedOrigins);
  }

  /** These settings with {@code value}'s PACS and listener. */
  public ServerOptions withIngest(IngestOptions value) {
    return new ServerOptions(host, port, maxInFlight, maxQueued, maxUploadBytes, maxFiles,
        timeoutSeconds, retryAfterSeconds, backend, tritonHost, tritonPort, maxQueueWaitSeconds,
        simulatedLatencyMs, simulatedJitterMs, value, corsAllowedOrigins);
  }

  /** These settings with analyses (and the arrival of their requests) bounded by {@code seconds}. */
  public ServerOptions withTimeoutSeconds(double seconds) {
    return new ServerOptions(host, port, maxInFlight, maxQueued, maxUploadBytes, maxFiles,
        seconds, retryAfterSeconds, backend, tritonHost, tritonPort, maxQueueWaitSeconds,
        simulatedLatencyMs, simulatedJitterMs, ingest, corsAllowedOrigins);
  }

  /** These settings with studies waiting at most {@code seconds} for a slot. */
  public ServerOptions withMaxQueueWaitSeconds(double seconds) {
    return new ServerOptions(host, port, maxInFlight, maxQueued, maxUploadBytes, maxFiles,
        timeoutSeconds, retryAfterSeconds, backend, tritonHost, tritonPort, seconds,
        simulatedLatencyMs, simulatedJitterMs, ingest, corsAllowedOrigins);
  }

  /** These settings with {@code origins} allowed by CORS (see {@link #corsAllowedOrigins()}). */
  public ServerOptions withCorsAllowedOrigins(List<String> origins) {
    return new ServerOptions(host, port, maxInFlight, maxQueued, maxUploadBytes, maxFiles,
        timeoutSeconds, retryAfterSeconds, backend, tritonHost, tritonPort, maxQueueWaitSeconds,
        simulatedLatencyMs, simulatedJitterMs, ingest, origins);
  }

  /** The origins as configured: null, a JSON array of strings or a comma-separated string. */
  private static List<String> origins(Object value) {
    List<String> out = new ArrayList<>();
    if (value instanceof io.vertx.core.json.JsonArray a) {
      for (Object o : a) {
        require(o instanceof String, "corsAllowedOrigins must hold strings");
        out.add((String) o);
      }
    } else if (value instanceof String text) {
      for (String o : text.split(",")) {
        if (!o.isBlank()) {
          out.add(o);
        }
      }
    } else {
      require(value == null, "corsAllowedOrigins must be an array of strings or a "
          + "comma-separated string");
    }
    return out;
  }

  /** Trimmed, lower-cased, distinct origins; {@code *} only alone. */
  private static List<String> checkOrigins(List<String> origins) {
    require(origins != null, "corsAllowedOrigins must be given (empty for none)");
    List<String> out = new ArrayList<>();
    for (String o : origins) {
      require(o != null, "corsAllowedOrigins must not hold null");
      String origin = o.trim().toLowerCase(Locale.ROOT);
      require(origin.equals("*") || ORIGIN.matcher(origin).matches(), "corsAllowedOrigins: \""
          + o.trim() + "\" is neither * nor an origin such as https://viewer.example.org "
          + "(scheme://host[:port], no path or trailing slash)");
      if (!out.contains(origin)) {
        out.add(origin);
      }
    }
    require(!out.contains("*") || out.size() == 1,
        "corsAllowedOrigins: * allows every origin and cannot be combined with others");
    return List.copyOf(out);
  }

  /** {@link #timeoutSeconds()} as a duration. */
  public Duration timeout() {
    return seconds(timeoutSeconds);
  }

  /** {@link #maxQueueWaitSeconds()} as a duration. */
  public Duration maxQueueWait() {
    return seconds(maxQueueWaitSeconds);
  }

  /** {@code seconds} (fractional) as a duration, rounded to the millisecond. */
  public static Duration seconds(double seconds) {
    return Duration.ofMillis(Math.round(seconds * 1000));
  }

  JsonObject toJson() {
    return new JsonObject().put("host", host).put("port", port).put("maxInFlight", maxInFlight)
        .put("maxQueued", maxQueued).put("maxUploadBytes", maxUploadBytes).put("maxFiles", maxFiles)
        .put("timeoutSeconds", timeoutSeconds).put("retryAfterSeconds", retryAfterSeconds)
        .put("backend", backend.value()).put("tritonHost", tritonHost).put("tritonPort", tritonPort)
        .put("maxQueueWaitSeconds", maxQueueWaitSeconds)
        .put("simulatedLatencyMs", simulatedLatencyMs).put("simulatedJitterMs", simulatedJitterMs)
        .put("corsAllowedOrigins", new io.vertx.core.json.JsonArray(corsAllowedOrigins));
  }

  private static ServerOptions fromJson(JsonObject j) {
    return new ServerOptions(String.valueOf(j.getValue("host")), (int) integer(j, "port"),
        (int) integer(j, "maxInFlight"), (int) integer(j, "maxQueued"),
        integer(j, "maxUploadBytes"), (int) integer(j, "maxFiles"), number(j, "timeoutSeconds"),
        (int) integer(j, "retryAfterSeconds"), Backend.parse(text(j, "backend")),
        text(j, "tritonHost"), (int) integer(j, "tritonPort"), number(j, "maxQueueWaitSeconds"),
        number(j, "simulatedLatencyMs"), number(j, "simulatedJitterMs"), IngestOptions.defaults(),
        origins(j.getValue("corsAllowedOrigins")));
  }

  private static String text(JsonObject j, String key) {
    Object v = j.getValue(key);
    require(v instanceof String, key + " must be a string");
    return (String) v;
  }

  private static long integer(JsonObject j, String key) {
    double d = number(j, key);
    require(d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE, key + " must be an integer");
    return (long) d;
  }

  private static double number(JsonObject j, String key) {
    Object v = j.getValue(key);
    try {
      return v instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(v));
    } catch (NumberFormatException e) {
      throw new InvalidInputException(key + " must be a number");
    }
  }

  static JsonObject read(Path file) {
    try {
      return new JsonObject(Files.readString(file));
    } catch (IOException e) {
      throw new InvalidInputException("cannot read the server config file " + file, e);
    } catch (DecodeException | ClassCastException e) {
      throw new InvalidInputException("the server config file " + file
          + " is not a JSON object", e);
    }
  }

  private static void require(boolean ok, String reason) {
    if (!ok) {
      throw new InvalidInputException(reason);
    }
  }
}
