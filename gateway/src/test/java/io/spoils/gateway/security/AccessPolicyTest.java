package io.spoils.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.gateway.config.AuthOptions;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {

  private static AccessPolicy policy(boolean metrics, boolean reflectionOpen) {
    return new AccessPolicy(new AuthOptions(Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), metrics, reflectionOpen));
  }

  private static Optional<Scope> scope(AccessPolicy p, boolean post, String path, boolean grpc) {
    AccessPolicy.Need n = p.need(post, path, grpc);
    assertFalse(n.open(), path);
    return n.scope();
  }

  @Test
  void need_routes_theirScopes() {
    AccessPolicy p = policy(false, false);
    assertEquals(Optional.of(Scope.ANALYZE), scope(p, true, "/v1/analyses", false));
    assertEquals(Optional.of(Scope.RESULTS_READ), scope(p, false, "/v1/received", false));
    assertEquals(Optional.of(Scope.RESULTS_READ), scope(p, false, "/v1/received/7", false));
    assertEquals(Optional.of(Scope.RESULTS_READ),
        scope(p, false, "/v1/analyses/7/slice.png", false));
    assertEquals(Optional.of(Scope.MODELS_READ), scope(p, false, "/v1/models", false));
    assertEquals(Optional.of(Scope.ANALYZE),
        scope(p, true, "/spoils.v1.AnalysisService/AnalyzeUpload", true));
    assertEquals(Optional.of(Scope.MODELS_READ),
        scope(p, true, "/spoils.v1.AnalysisService/ListModels", true));
    assertEquals(Optional.empty(), scope(p, true, "/spoils.v1.Other/Method", true));
  }

  @Test
  void need_healthViewerMetrics_openByDefault() {
    AccessPolicy p = policy(false, false);
    for (String path : new String[] {"/health/live", "/health/ready", "/viewer", "/viewer/",
        "/viewer/app.js", "/metrics"}) {
      assertTrue(p.need(false, path, false).open(), path);
    }
    assertTrue(p.need(true, "/grpc.health.v1.Health/Check", true).open());
    assertEquals(Optional.of(Scope.METRICS), scope(policy(true, false), false, "/metrics", false));
  }

  @Test
  void need_reflectionAndDocument_configurable() {
    String reflection = "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo";
    assertEquals(Optional.empty(), scope(policy(false, false), true, reflection, true));
    assertEquals(Optional.empty(), scope(policy(false, false), false, "/v1/openapi.json", false));
    assertTrue(policy(false, true).need(true, reflection, true).open());
    assertTrue(policy(false, true).need(true,
        "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", true).open());
    assertTrue(policy(false, true).need(false, "/v1/openapi.json", false).open());
  }

  @Test
  void need_otherSpellings_notOpen() {
    AccessPolicy p = policy(false, false);
    for (String path : new String[] {"/health/../v1/received", "/health/live/", "/viewer/../v1",
        "/viewer/a/b", "//health/live", "/v1/received/a/b/c", "/metrics/x"}) {
      assertFalse(p.need(false, path, false).open(), path);
    }
    assertFalse(p.need(true, "/health/live", true).open(), "gRPC paths follow gRPC's rules");
  }
}
