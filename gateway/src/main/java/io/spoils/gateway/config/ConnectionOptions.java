package io.spoils.gateway.config;

import io.spoils.feature.InvalidInputException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a connection and a request still arriving may hold ({@code server.ConnectionGuard},
 * {@code server.UploadPace}, {@code server.UploadBudget}), so that slow or idle clients cannot
 * hold the server. Sources, later ones winning: the defaults, the top-level keys of the JSON config
 * file ({@link #KEYS}), the {@code SPOILS_*} variables ({@link Setting#envName}).
 *
 * @param headerTimeoutSeconds a new connection's first request must have sent its headers within
 *     this many seconds of its first bytes, else it is closed, &gt; 0 (default
 *     {@value #DEFAULT_HEADER_TIMEOUT_SECONDS})
 * @param idleTimeoutSeconds a connection with no bytes either way for this long is closed, also one
 *     that never sent anything, &gt; 0 (default {@value #DEFAULT_IDLE_TIMEOUT_SECONDS}: longer than
 *     a study's queue wait plus the time to its first event, which send nothing)
 * @param minUploadBytesPerSecond after the grace period, a request body must arrive at this many
 *     bytes per second, measured over each grace period, else the request ends with 408
 *     (DEADLINE_EXCEEDED), &gt;= 0, 0 for no minimum (default
 *     {@value #DEFAULT_MIN_UPLOAD_BYTES_PER_SECOND})
 * @param uploadGraceSeconds how long a body may arrive at any rate, and the window the rate is
 *     measured over, &gt; 0 (default {@value #DEFAULT_UPLOAD_GRACE_SECONDS})
 * @param maxConnections open HTTP/1 and HTTP/2 connections, &gt;= 1 (default
 *     {@value #DEFAULT_MAX_CONNECTIONS}); a connection beyond them is closed as it opens
 * @param uploadBudgetBytes bytes of studies received and not yet analysed, all requests together:
 *     from their first byte to the end of their analysis; a request that would pass it is refused
 *     with 429 (RESOURCE_EXHAUSTED). 0 (the default) derives it from the heap: a quarter of
 *     {@link Runtime#maxMemory()} ({@link #budgetBytes()})
 */
public record ConnectionOptions(double headerTimeoutSeconds, double idleTimeoutSeconds,
    long minUploadBytesPerSecond, double uploadGraceSeconds, int maxConnections,
    long uploadBudgetBytes) {

  public static final double DEFAULT_HEADER_TIMEOUT_SECONDS = 10;
  public static final double DEFAULT_IDLE_TIMEOUT_SECONDS = 120;
  public static final long DEFAULT_MIN_UPLOAD_BYTES_PER_SECOND = 16 * 1024;
  public static final double DEFAULT_UPLOAD_GRACE_SECONDS = 5;
  public static final int DEFAULT_MAX_CONNECTIONS = 1000;
  /** The heap's share of the derived upload budget: 1 / this. */
  public static final int HEAP_SHARE = 4;

  /** The settings, as the README's table shows them. */
  public static final List<Setting> SETTINGS = List.of(
      Setting.of("ConnectionOptions", "headerTimeoutSeconds", "10",
          "a new connection's first request headers must arrive within this, seconds; else closed"),
      Setting.of("ConnectionOptions", "idleTimeoutSeconds", "120",
          "a connection with no bytes either way for this long is closed, seconds"),
      Setting.of("ConnectionOptions", "minUploadBytesPerSecond", DEFAULT_MIN_UPLOAD_BYTES_PER_SECOND,
          "slowest request body after the grace period, bytes/s over each grace period; "
          + "else 408 (DEADLINE_EXCEEDED); 0 for none"),
      Setting.of("ConnectionOptions", "uploadGraceSeconds", "5",
          "how long a body may arrive at any rate, and the window the rate is measured over"),
      Setting.of("ConnectionOptions", "maxConnections", DEFAULT_MAX_CONNECTIONS,
          "open HTTP connections; one beyond them is closed as it opens"),
      Setting.of("ConnectionOptions", "uploadBudgetBytes", "0 (a quarter of the heap)",
          "bytes of studies received and not yet analysed, all requests together; 429 "
          + "(RESOURCE_EXHAUSTED) beyond"));

  /** The config-file keys, each also an {@code SPOILS_*} variable. */
  public static final Set<String> KEYS = keys();

  /** @throws InvalidInputException when a value is out of range */
  public ConnectionOptions {
    require(positive(headerTimeoutSeconds), "headerTimeoutSeconds must be > 0");
    require(positive(idleTimeoutSeconds), "idleTimeoutSeconds must be > 0");
    require(minUploadBytesPerSecond >= 0, "minUploadBytesPerSecond must be >= 0");
    require(positive(uploadGraceSeconds), "uploadGraceSeconds must be > 0");
    require(maxConnections >= 1, "maxConnections must be >= 1");
    require(uploadBudgetBytes >= 0, "uploadBudgetBytes must be >= 0 (0: a quarter of the heap)");
  }

  public static ConnectionOptions defaults() {
    return new ConnectionOptions(DEFAULT_HEADER_TIMEOUT_SECONDS, DEFAULT_IDLE_TIMEOUT_SECONDS,
        DEFAULT_MIN_UPLOAD_BYTES_PER_SECOND, DEFAULT_UPLOAD_GRACE_SECONDS,
        DEFAULT_MAX_CONNECTIONS, 0);
  }

  /** Whether {@code key} is one of {@link #KEYS}. */
  public static boolean has(String key) {
    return KEYS.contains(key);
  }

  /** The upload budget in bytes: {@link #uploadBudgetBytes()}, or a quarter of the heap for 0. */
  public long budgetBytes() {
    return uploadBudgetBytes > 0 ? uploadBudgetBytes : Runtime.getRuntime().maxMemory() / HEAP_SHARE;
  }

  /** These options with an upload budget of {@code bytes} (0: derived from the heap). */
  public ConnectionOptions withUploadBudget(long bytes) {
    return new ConnectionOptions(headerTimeoutSeconds, idleTimeoutSeconds,
        minUploadBytesPerSecond, uploadGraceSeconds, maxConnections, bytes);
  }

  /**
   * The defaults, then {@code configFile}'s keys of {@link #KEYS} (others are left to
   * {@link ServerOptions#load}), then the variables of {@code env}.
   *
   * @throws InvalidInputException for an unreadable file or a value that is not a number in range
   */
  public static ConnectionOptions load(Optional<Path> configFile, Map<String, String> env) {
    JsonObject file = configFile.map(ServerOptions::read).orElseGet(JsonObject::new);
    ConnectionOptions d = defaults();
    return new ConnectionOptions(
        number(file, env, "headerTimeoutSeconds", d.headerTimeoutSeconds()),
        number(file, env, "idleTimeoutSeconds", d.idleTimeoutSeconds()),
        whole(file, env, "minUploadBytesPerSecond", d.minUploadBytesPerSecond()),
        number(file, env, "uploadGraceSeconds", d.uploadGraceSeconds()),
        (int) Math.min(Integer.MAX_VALUE, whole(file, env, "maxConnections", d.maxConnections())),
        whole(file, env, "uploadBudgetBytes", 0));
  }

  private static double number(JsonObject file, Map<String, String> env, String key,
      double fallback) {
    String e = env.get(Setting.envName(key));
    Object v = e != null && !e.isBlank() ? e.trim() : file.getValue(key);
    if (v == null) {
      return fallback;
    }
    try {
      double d = v instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(v));
      require(Double.isFinite(d), key + " must be a finite number");
      return d;
    } catch (NumberFormatException ex) {
      throw new InvalidInputException(key + " must be a number");
    }
  }

  private static long whole(JsonObject file, Map<String, String> env, String key, long fallback) {
    double d = number(file, env, key, fallback);
    require(d == Math.rint(d) && Math.abs(d) < 1e15, key + " must be a whole number");
    return (long) d;
  }

  private static Set<String> keys() {
    Set<String> keys = new TreeSet<>();
    SETTINGS.forEach(s -> keys.add(s.key()));
    return Set.copyOf(keys);
  }

  private static boolean positive(double d) {
    return d > 0 && Double.isFinite(d);
  }

  private static void require(boolean ok, String reason) {
    if (!ok) {
      throw new InvalidInputException(reason);
    }
  }
}
