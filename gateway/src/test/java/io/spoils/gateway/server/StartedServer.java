package io.spoils.gateway.server;

import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.backend.InferenceBackend;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.testing.DefaultTrees;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension of the server tests: {@link #start} serves a backend on a real
 * {@link SpoilsServer} (127.0.0.1, port 0, the given options) with the run's default trees
 * ({@link DefaultTrees#shared}) and gives its {@link TestServer}; every server a test started is
 * closed after the test (before its Vert.x instance):
 *
 * <pre>{@code
 * @ExtendWith(VertxExtension.class)
 * class SomeTest {
 *   @RegisterExtension
 *   final StartedServer servers = new StartedServer();
 *
 *   @Test
 *   void call_condition(Vertx vertx) throws Exception {
 *     TestServer server = servers.start(vertx, new ExampleBackend(), ServerOptions.defaults());
 *   }
 * }
 * }</pre>
 */
final class StartedServer implements BeforeEachCallback, AfterEachCallback {

  private final List<TestServer> started = new ArrayList<>();
  private XgbTreeGrader trees;

  @Override
  public void beforeEach(ExtensionContext context) {
    trees = DefaultTrees.shared(context);
  }

  /** Serves {@code backend} with {@code options} (host and port are overridden). */
  TestServer start(Vertx vertx, InferenceBackend backend, ServerOptions options)
      throws Exception {
    if (trees == null) {
      throw new IllegalStateException("register StartedServer with @RegisterExtension");
    }
    TestServer server = TestServer.start(vertx, backend, trees, options);
    synchronized (started) {
      started.add(server);
    }
    return server;
  }

  /** Serves {@code backend} with the default options. */
  TestServer start(Vertx vertx, InferenceBackend backend) throws Exception {
    return start(vertx, backend, ServerOptions.defaults());
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    List<TestServer> servers;
    synchronized (started) {
      servers = new ArrayList<>(started);
      started.clear();
    }
    Exception first = null;
    for (int i = servers.size() - 1; i >= 0; i--) {
      try {
        servers.get(i).close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
