package io.spoils.gateway.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code serve}'s security flags, each the config key of the same name
 * ({@code io.spoils.gateway.config.SecurityOptions}); a flag wins over the config file and the
 * {@code SPOILS_*} variables. Token values are never flags: tokens live in files only.
 */
final class SecurityFlags {

  @Option(names = "--auth-tokens-file", paramLabel = "FILE",
      description = "API tokens: lines sha256:<hex> <scope>[,<scope>...].")
  private String authTokensFile;

  @Option(names = "--auth-jwks-file", paramLabel = "FILE",
      description = "JWKS whose RS256/ES256 keys sign accepted JWTs.")
  private String authJwksFile;

  @Option(names = "--auth-issuer", paramLabel = "ISS", description = "Accepted JWT issuer.")
  private String authIssuer;

  @Option(names = "--auth-audience", paramLabel = "AUD", description = "Accepted JWT audience.")
  private String authAudience;

  @Option(names = "--auth-metrics", paramLabel = "BOOL", arity = "0..1", fallbackValue = "true",
      description = "GET /metrics needs the metrics scope.")
  private String authMetrics;

  @Option(names = "--auth-reflection-open", paramLabel = "BOOL", arity = "0..1",
      fallbackValue = "true",
      description = "gRPC reflection and /v1/openapi.json without a token.")
  private String authReflectionOpen;

  @Option(names = "--tls-cert", paramLabel = "PEM", description = "Certificate chain (PEM).")
  private String tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "Private key (PEM).")
  private String tlsKey;

  @Option(names = "--tls-client-ca", paramLabel = "PEM",
      description = "CA of accepted client certificates (mutual TLS).")
  private String tlsClientCa;

  @Option(names = "--tls-client-auth", paramLabel = "MODE",
      description = "With --tls-client-ca: required (default) or optional.")
  private String tlsClientAuth;

  @Option(names = "--allowed-hosts", paramLabel = "HOSTS",
      description = "Host names answered, comma-separated (default: any).")
  private String allowedHosts;

  @Option(names = "--insecure", paramLabel = "BOOL", arity = "0..1", fallbackValue = "true",
      description = "Allow a non-loopback --host without TLS or authentication (a service mesh "
          + "terminates TLS); warned at start-up.")
  private String insecure;

  @Option(names = "--access-log-level", paramLabel = "LEVEL",
      description = "JSON access lines: off, debug, info (default) or warning.")
  private String accessLogLevel;

  @Option(names = "--audit-log-level", paramLabel = "LEVEL",
      description = "JSON audit lines (one per analysis): off, debug, info (default), warning.")
  private String auditLogLevel;

  /** The flags given, by config key. */
  Map<String, String> values() {
    Map<String, String> out = new LinkedHashMap<>();
    put(out, "authTokensFile", authTokensFile);
    put(out, "authJwksFile", authJwksFile);
    put(out, "authIssuer", authIssuer);
    put(out, "authAudience", authAudience);
    put(out, "authMetrics", authMetrics);
    put(out, "authReflectionOpen", authReflectionOpen);
    put(out, "tlsCert", tlsCert);
    put(out, "tlsKey", tlsKey);
    put(out, "tlsClientCa", tlsClientCa);
    put(out, "tlsClientAuth", tlsClientAuth);
    put(out, "allowedHosts", allowedHosts);
    put(out, "insecure", insecure);
    put(out, "accessLogLevel", accessLogLevel);
    put(out, "auditLogLevel", auditLogLevel);
    return out;
  }

  /** One start-up line: TLS and authentication on or off (names no file or secret). */
  static String describe(io.spoils.gateway.config.SecurityOptions security) {
    var tls = security.tls();
    var auth = security.auth();
    String t = !tls.enabled() ? "TLS off (plaintext)" : tls.clientCa().isEmpty() ? "TLS on"
        : "TLS on, client certificates " + tls.clientAuth().value();
    String a = !auth.enabled() ? "authentication off (every route open)"
        : "authentication on (" + (auth.tokensFile().isPresent() ? "API tokens" : "")
            + (auth.tokensFile().isPresent() && auth.jwksFile().isPresent() ? ", " : "")
            + (auth.jwksFile().isPresent() ? "JWT" : "") + ")";
    String h = security.hosts().allowedHosts().isEmpty() ? "any Host"
        : "Hosts " + String.join(", ", security.hosts().allowedHosts());
    return "spoils: " + t + "; " + a + "; " + h;
  }

  private static void put(Map<String, String> out, String key, String value) {
    if (value != null) {
      out.put(key, value);
    }
  }
}
