package io.spoils.gateway.config;

import io.spoils.feature.InvalidInputException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Who may call the service ({@code security.Authenticator}, the {@code server.Authentication}
 * request filter): API tokens from a file and/or JWTs checked against a JWKS file. With neither
 * file configured (the default) every route stays open, as before.
 *
 * @param tokensFile API tokens, one per line: {@code sha256:<hex of the token> <scope>[,<scope>...]},
 *     {@code #} comments; the tokens themselves are never stored
 * @param jwksFile the JSON Web Key Set whose RS256/ES256 keys sign accepted JWTs
 * @param issuer the {@code iss} a JWT must carry (required with {@code jwksFile})
 * @param audience an {@code aud} a JWT must carry (required with {@code jwksFile})
 * @param metrics whether {@code GET /metrics} needs the {@code metrics} scope (default false, so
 *     Prometheus scrapes keep working)
 * @param reflectionOpen whether gRPC reflection and {@code GET /v1/openapi.json} are served
 *     without a credential (default false: any valid credential)
 * @param reloadSeconds how often the tokens and JWKS files are checked for changes (then
 *     reloaded), seconds, &gt; 0 (default {@value #DEFAULT_RELOAD_SECONDS})
 */
public record AuthOptions(Optional<Path> tokensFile, Optional<Path> jwksFile,
    Optional<String> issuer, Optional<String> audience, boolean metrics, boolean reflectionOpen,
    double reloadSeconds) {

  public static final double DEFAULT_RELOAD_SECONDS = 30;

  private static final String C = "AuthOptions";
  /** The settings, as the README's table shows them. */
  public static final List<Setting> SETTINGS = List.of(
      Setting.of(C, "authTokensFile", "none", "API tokens file: lines `sha256:<hex> "
          + "<scope>[,<scope>...]`; with it or a JWKS every API route needs a bearer token"),
      Setting.of(C, "authJwksFile", "none", "JWKS file whose RS256/ES256 keys sign accepted JWTs"),
      Setting.of(C, "authIssuer", "none", "the `iss` accepted JWTs carry (required with a JWKS)"),
      Setting.of(C, "authAudience", "none",
          "the `aud` accepted JWTs carry (required with a JWKS)"),
      Setting.of(C, "authMetrics", "false", "`GET /metrics` needs the `metrics` scope"),
      Setting.of(C, "authReflectionOpen", "false",
          "gRPC reflection and `/v1/openapi.json` served without a token"),
      Setting.of(C, "authReloadSeconds", (int) DEFAULT_RELOAD_SECONDS,
          "how often the tokens and JWKS files are checked for changes (then reloaded), seconds"));

  /** @throws InvalidInputException when a JWKS is given without its issuer and audience */
  public AuthOptions {
    if (jwksFile.isPresent() && (issuer.isEmpty() || audience.isEmpty())) {
      throw new InvalidInputException("authJwksFile needs authIssuer and authAudience: a JWT is "
          + "only accepted from one issuer and for this service's audience");
    }
    if (!(reloadSeconds > 0 && Double.isFinite(reloadSeconds))) {
      throw new InvalidInputException("authReloadSeconds must be > 0");
    }
  }

  /** These, with the files checked every {@value #DEFAULT_RELOAD_SECONDS} s. */
  public AuthOptions(Optional<Path> tokensFile, Optional<Path> jwksFile, Optional<String> issuer,
      Optional<String> audience, boolean metrics, boolean reflectionOpen) {
    this(tokensFile, jwksFile, issuer, audience, metrics, reflectionOpen,
        DEFAULT_RELOAD_SECONDS);
  }

  /** No authentication: every route open. */
  public static AuthOptions none() {
    return new AuthOptions(Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), false, false);
  }

  /** Whether any credential is checked (a tokens file or a JWKS is configured). */
  public boolean enabled() {
    return tokensFile.isPresent() || jwksFile.isPresent();
  }
}
