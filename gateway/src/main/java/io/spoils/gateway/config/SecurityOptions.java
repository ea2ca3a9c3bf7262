package io.spoils.gateway.config;

import static io.spoils.gateway.config.RawSettings.bool;
import static io.spoils.gateway.config.RawSettings.path;
import static io.spoils.gateway.config.RawSettings.require;
import static io.spoils.gateway.config.RawSettings.text;

import io.spoils.feature.InvalidInputException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The listener's security: {@link #auth()} (bearer tokens and JWTs), {@link #tls()},
 * {@link #hosts()}, {@link #exposure()} (who may reach it) and {@link #audit()} (its logs). Sources, later ones winning: the defaults (open, plaintext, any Host), the
 * top-level keys of the JSON config file ({@link #KEYS}: strings, booleans, numbers; a JSON array
 * or a comma-separated string for {@code allowedHosts}), the {@code SPOILS_*} variables
 * ({@code authTokensFile}: {@code SPOILS_AUTH_TOKENS_FILE}), then the {@code serve} flags.
 *
 * @param auth who may call which route
 * @param tls TLS on the listener
 * @param hosts the Host names answered
 * @param exposure whether a non-loopback address may be bound without TLS or authentication
 * @param audit levels of the access and audit lines
 */
public record SecurityOptions(AuthOptions auth, TlsOptions tls, HostOptions hosts,
    ExposureOptions exposure, AuditOptions audit) {

  /** The config-file keys, each also an {@code SPOILS_*} variable ({@link Setting#envName}). */
  public static final Set<String> KEYS = keys();

  /** Whether {@code key} is one of {@link #KEYS}. */
  public static boolean has(String key) {
    return KEYS.contains(key);
  }

  public SecurityOptions {
    require(auth != null && tls != null && hosts != null && exposure != null && audit != null,
        "security options must be given");
  }

  /** These, loopback-only unless protected, with the default log levels. */
  public SecurityOptions(AuthOptions auth, TlsOptions tls, HostOptions hosts) {
    this(auth, tls, hosts, ExposureOptions.secure(), AuditOptions.defaults());
  }

  /** Open, plaintext, any Host (hence loopback only). */
  public static SecurityOptions none() {
    return new SecurityOptions(AuthOptions.none(), TlsOptions.none(), HostOptions.any());
  }

  private static Set<String> keys() {
    Set<String> keys = new TreeSet<>();
    for (List<Setting> s : List.of(AuthOptions.SETTINGS, TlsOptions.SETTINGS,
        HostOptions.SETTINGS, ExposureOptions.SETTINGS, AuditOptions.SETTINGS)) {
      s.forEach(setting -> keys.add(setting.key()));
    }
    return Set.copyOf(keys);
  }

  /**
   * The defaults, then {@code configFile}'s keys of {@link #KEYS} (others are left to
   * {@link ServerOptions#load}), then the variables of {@code env}, then {@code flags} (raw
   * values by config key, as {@code serve}'s options give them).
   *
   * @throws InvalidInputException for an unreadable file, or a value of the wrong type or out of
   *     range
   */
  public static SecurityOptions load(Optional<Path> configFile, Map<String, String> env,
      Map<String, String> flags) {
    JsonObject file = configFile.map(ServerOptions::read).orElseGet(JsonObject::new);
    Map<String, String> values = new java.util.HashMap<>();
    for (String key : KEYS) {
      Object v = file.getValue(key);
      if (v instanceof JsonArray a) {
        List<String> parts = new ArrayList<>();
        a.forEach(o -> parts.add(String.valueOf(o)));
        values.put(key, String.join(",", parts));
      } else if (v instanceof String || v instanceof Boolean || v instanceof Number) {
        values.put(key, String.valueOf(v));
      } else {
        require(v == null, key + " must be a string, a boolean or a number");
      }
      RawSettings.overlay(values, key, env, flags);
    }
    return of(values);
  }

  /**
   * These options from raw values by config key (absent or blank: the default), as the file,
   * the environment and the flags give them.
   */
  public static SecurityOptions of(Map<String, String> values) {
    AuthOptions auth = new AuthOptions(path(values, "authTokensFile"),
        path(values, "authJwksFile"), text(values, "authIssuer"), text(values, "authAudience"),
        bool(values, "authMetrics"), bool(values, "authReflectionOpen"),
        text(values, "authReloadSeconds").map(v -> number("authReloadSeconds", v))
            .orElse(AuthOptions.DEFAULT_RELOAD_SECONDS));
    TlsOptions tls = new TlsOptions(path(values, "tlsCert"), path(values, "tlsKey"),
        path(values, "tlsClientCa"), text(values, "tlsClientAuth")
            .map(TlsOptions.ClientAuth::parse).orElse(TlsOptions.ClientAuth.REQUIRED),
        text(values, "tlsReloadSeconds").map(v -> number("tlsReloadSeconds", v))
            .orElse(TlsOptions.DEFAULT_RELOAD_SECONDS));
    List<String> hosts = new ArrayList<>();
    text(values, "allowedHosts").ifPresent(v -> {
      for (String h : v.split(",")) {
        if (!h.isBlank()) {
          hosts.add(h);
        }
      }
    });
    AuditOptions audit = new AuditOptions(level(values, "accessLogLevel"),
        level(values, "auditLogLevel"));
    return new SecurityOptions(auth, tls, new HostOptions(hosts),
        new ExposureOptions(bool(values, "insecure")), audit);
  }

  private static AuditOptions.Level level(Map<String, String> values, String key) {
    return text(values, key).map(v -> AuditOptions.Level.parse(key, v))
        .orElse(AuditOptions.Level.INFO);
  }

  private static double number(String key, String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new InvalidInputException(key + " must be a number");
    }
  }
}
