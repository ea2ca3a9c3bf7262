package io.spoils.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.spoils.gateway.config.ServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestFiltersTest {

  private static final HttpServerRequest REQUEST = (HttpServerRequest) Proxy.newProxyInstance(
      HttpServerRequest.class.getClassLoader(), new Class<?>[] {HttpServerRequest.class},
      (proxy, method, args) -> null);

  @Test
  void handle_filtersInOrderThenTransport() {
    List<String> seen = new ArrayList<>();
    new RequestFilters(List.of(r -> seen.add("a") && false, r -> seen.add("b") && false),
        r -> seen.add("transport")).handle(REQUEST);
    assertEquals(List.of("a", "b", "transport"), seen);
  }

  @Test
  void handle_answeringFilter_stopsTheChain() {
    List<String> seen = new ArrayList<>();
    new RequestFilters(List.of(r -> seen.add("a"), r -> seen.add("b")),
        r -> seen.add("transport")).handle(REQUEST);
    assertEquals(List.of("a"), seen);
  }

  @Test
  void standard_accessLogThenCors() {
    List<RequestFilter> filters = RequestFilters.standard(ServerOptions.defaults());
    assertInstanceOf(AccessLog.class, filters.get(0));
    assertInstanceOf(Cors.class, filters.get(1));
  }
}
