package io.spoils.gateway.server;

import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.testing.DefaultTrees;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the tests against a {@link GatedServer} share: the tree grader and the bundled example slice,
 * loaded once per test class, and the test's server, closed after each test.
 */
@ExtendWith(VertxExtension.class)
@ExtendWith(DefaultTrees.class)
abstract class GatedServerTestBase {

  static XgbTreeGrader trees;
  static byte[] slice;
  /** The server a test started, if any; closed after the test. */
  GatedServer server;

  @BeforeAll
  static void load(XgbTreeGrader defaultTrees) throws Exception {
    trees = defaultTrees;
    slice = GatedServer.slice();
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }
}
