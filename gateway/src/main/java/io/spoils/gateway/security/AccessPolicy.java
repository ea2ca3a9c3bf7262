package io.spoils.gateway.security;

import io.spoils.gateway.config.AuthOptions;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which credential each route needs, on either transport. Open: {@code /health/live},
 * {@code /health/ready}, gRPC health, the web viewer's static files, {@code /metrics} unless
 * {@link AuthOptions#metrics()}, reflection and the OpenAPI document when
 * {@link AuthOptions#reflectionOpen()}. A scope: see {@link Scope}. Any other path, known or
 * not, needs a valid credential of any scope (so that even a 404 is only told to callers).
 * Paths are matched exactly as the routes match them (raw, not normalised), so that no spelling
 * of a path reaches a route under another path's rule.
 */
public final class AccessPolicy {

  /**
   * What a request needs.
   *
   * @param open whether it is served without a credential
   * @param scope the scope it needs (empty: any valid credential, or none when open)
   */
  public record Need(boolean open, Optional<Scope> scope) {
    static final Need OPEN = new Need(true, Optional.empty());
    static final Need AUTHENTICATED = new Need(false, Optional.empty());

    static Need scope(Scope s) {
      return new Need(false, Optional.of(s));
    }
  }

  private static final Set<String> HEALTH = Set.of("/health/live", "/health/ready");
  private static final Pattern VIEWER = Pattern.compile("/viewer(/[A-Za-z0-9_-][A-Za-z0-9._-]*)?/?");
  private static final Pattern ONE_SEGMENT_AFTER = Pattern.compile("/[^/]+(/[^/]+)?");
  private static final String SPOILS = "/spoils.v1.AnalysisService/";

  private final boolean metrics;
  private final boolean reflectionOpen;

  public AccessPolicy(AuthOptions options) {
    this.metrics = options.metrics();
    this.reflectionOpen = options.reflectionOpen();
  }

  /**
   * @param post whether the method is POST
   * @param path the raw request path
   * @param grpc whether the request goes to gRPC ({@code application/grpc*} content type)
   */
  public Need need(boolean post, String path, boolean grpc) {
    return grpc ? grpc(path) : http(post, path);
  }

  private Need grpc(String path) {
    if (path.startsWith("/grpc.health.v1.Health/")) {
      return Need.OPEN;
    }
    if (path.startsWith("/grpc.reflection.v1.ServerReflection/")
        || path.startsWith("/grpc.reflection.v1alpha.ServerReflection/")) {
      return reflectionOpen ? Need.OPEN : Need.AUTHENTICATED;
    }
    return switch (path) {
      case SPOILS + "Analyze", SPOILS + "AnalyzeUpload" -> Need.scope(Scope.ANALYZE);
      case SPOILS + "ListModels" -> Need.scope(Scope.MODELS_READ);
      default -> Need.AUTHENTICATED;
    };
  }

  private Need http(boolean post, String path) {
    if (HEALTH.contains(path) || VIEWER.matcher(path).matches() && !path.contains("..")) {
      return Need.OPEN;
    }
    if (path.equals("/metrics")) {
      return metrics ? Need.scope(Scope.METRICS) : Need.OPEN;
    }
    if (path.equals("/v1/openapi.json")) {
      return reflectionOpen ? Need.OPEN : Need.AUTHENTICATED;
    }
    if (path.equals("/v1/models")) {
      return Need.scope(Scope.MODELS_READ);
    }
    if (path.equals("/v1/analyses")) {
      return post ? Need.scope(Scope.ANALYZE) : Need.AUTHENTICATED;
    }
    if (path.equals("/v1/received") || under("/v1/received", path)
        || under("/v1/analyses", path)) {
      return Need.scope(Scope.RESULTS_READ);
    }
    return Need.AUTHENTICATED;
  }

  /** Whether {@code path} is {@code prefix} followed by one or two non-empty segments. */
  private static boolean under(String prefix, String path) {
    return path.startsWith(prefix)
        && ONE_SEGMENT_AFTER.matcher(path.substring(prefix.length())).matches();
  }
}
