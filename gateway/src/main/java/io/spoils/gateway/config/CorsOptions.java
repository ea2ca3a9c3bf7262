package io.spoils.gateway.config;

import java.util.List;

/**
 * Browser origins let in from elsewhere ({@code server.Cors}, the first request filter).
 *
 * @param allowedOrigins lower-case exact origins ({@code scheme://host[:port]}), or the single
 *     entry {@code *}; empty (the default): no CORS headers at all
 */
public record CorsOptions(List<String> allowedOrigins) {

  /** The settings, as the README's table shows them. */
  public static final List<Setting> SETTINGS = List.of(
      Setting.of("CorsOptions", "corsAllowedOrigins", "none",
          "browser origins allowed to call from another origin, comma-separated (file: JSON "
          + "array); `*` for any"));

  public CorsOptions {
    allowedOrigins = List.copyOf(allowedOrigins);
  }
}
