package io.spoils.gateway.server;

import io.spoils.feature.trees.XgbTreeGrader;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the tests against a {@link GatedServer} share: the tree grader and the bundled example slice,
 * loaded once per test class, and the test's server, closed after each test.
 */
@ExtendWith(VertxExtension.class)
abstract class GatedServerTestBase {

  static XgbTreeGrader trees;
  static byte[] slice;
  /** The server a test started, if any; closed after the test. */
  GatedServer server;

  @BeforeAll
  static void load() throws Exception {
    trees = XgbTreeGrader.loadDefault();
    slice = GatedServer.slice();
  }

  @AfterAll
  static void close() {
    trees.close();
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }
}
