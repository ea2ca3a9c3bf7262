package io.spoils.gateway.security;

import java.util.Locale;
import java.util.Optional;

/**
 * What a credential may do. {@link #ADMIN} grants every scope.
 */
public enum Scope {
  /** Submit studies: {@code POST /v1/analyses}, gRPC {@code Analyze} and {@code AnalyzeUpload}. */
  ANALYZE("analyze"),
  /** Read results: {@code GET /v1/received[/{id}]}, {@code GET /v1/analyses/{id}[/...]}. */
  RESULTS_READ("results:read"),
  /** List the served models: {@code GET /v1/models}, gRPC {@code ListModels}. */
  MODELS_READ("models:read"),
  /** Scrape {@code GET /metrics} (only when {@code authMetrics} is on). */
  METRICS("metrics"),
  /** Everything above. */
  ADMIN("admin");

  private final String value;

  Scope(String value) {
    this.value = value;
  }

  /** The scope as written in token files and JWT {@code scope} claims. */
  public String value() {
    return value;
  }

  /** The scope named {@code value} (case-insensitive), if any. */
  public static Optional<Scope> parse(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    for (Scope s : values()) {
      if (s.value.equals(v)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
