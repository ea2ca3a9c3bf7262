package io.spoils.gateway.backend.triton;

import static io.spoils.gateway.backend.triton.TritonBackendTest.TINY;
import static io.spoils.gateway.backend.triton.TritonBackendTest.TINY_CONFIG;
import static io.spoils.gateway.backend.triton.TritonBackendTest.await;
import static io.spoils.gateway.backend.triton.TritonBackendTest.failure;
import static io.spoils.gateway.backend.triton.TritonBackendTest.freePort;
import static io.spoils.gateway.backend.triton.TritonBackendTest.quick;
import static io.spoils.gateway.backend.triton.TritonBackendTest.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.gateway.backend.BackendException;
import io.spoils.gateway.backend.BackendStatus;
import io.spoils.gateway.backend.Deadline;
import io.spoils.gateway.backend.InferRequest;
import io.spoils.gateway.backend.ModelRepository;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readiness of the Triton backend follows the server in both directions: start-up retried until
 * the server comes, DOWN when it stops being ready or goes away, UP again when it is back.
 * Conditions are awaited (polled up to a minute), never timed.
 */
@ExtendWith(VertxExtension.class)
class TritonHealthTest {

  @TempDir
  Path served;
  @TempDir
  Path local;

  private KServeTestServer server;
  private TritonBackend triton;

  @AfterEach
  void close() throws Exception {
    if (triton != null) {
      await(triton.close());
    }
    if (server != null) {
      await(server.close());
    }
  }

  private TritonBackend backend(Vertx vertx, int port, Duration startupLimit) throws Exception {
    TritonBackendTest.writeModel(local, TINY, TINY_CONFIG);
    triton = new TritonBackend(vertx, ModelRepository.load(local), List.of(TINY),
        quick(port, startupLimit));
    return triton;
  }

  private KServeTestServer serve(Vertx vertx, int port) throws Exception {
    TritonBackendTest.writeModel(served, TINY, TINY_CONFIG);
    server = await(KServeTestServer.start(vertx, ModelRepository.load(served), port));
    return server;
  }

  static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - end > 0) {
        throw new AssertionError("never happened: " + what);
      }
      Thread.sleep(20);
    }
  }

  private InferRequest request() {
    return InferRequest.of(TINY, Map.of("x", random(1, 1, 2, 4, 4)),
        Deadline.after(Duration.ofMinutes(1)));
  }

  @Test
  void startup_serverComesLater_retriesUntilReady(Vertx vertx) throws Exception {
    int port = freePort();
    backend(vertx, port, Duration.ofMinutes(1));
    assertFalse(triton.ready().isComplete(), "not ready while nothing listens");
    BackendException early = failure(triton.infer(request()));
    assertEquals(BackendStatus.UNAVAILABLE, early.status());
    assertTrue(early.getMessage().contains("still running"), early.getMessage());
    serve(vertx, port);
    await(triton.startup());
    assertTrue(triton.ready().succeeded());
    assertEquals(3, await(triton.infer(request())).output("y").shape()[1]);
  }

  @Test
  void ready_serverNotReadyThenReady_downThenUp(Vertx vertx) throws Exception {
    serve(vertx, 0);
    await(backend(vertx, server.port(), Duration.ofMinutes(1)).startup());
    server.serverReady(false);
    eventually("readiness DOWN", () -> triton.ready().failed());
    BackendException down = failure(triton.ready());
    assertEquals(BackendStatus.UNAVAILABLE, down.status());
    assertTrue(down.getMessage().contains("is not ready"), down.getMessage());
    server.serverReady(true);
    eventually("readiness UP again", () -> triton.ready().succeeded());
  }

  @Test
  void ready_serverGoesAwayAndComesBack_downAtTheFailedCallThenUp(Vertx vertx) throws Exception {
    serve(vertx, 0);
    TritonBackendTest.writeModel(local, TINY, TINY_CONFIG);
    // no periodic check in the test's time: only the failed call can turn readiness DOWN
    triton = new TritonBackend(vertx, ModelRepository.load(local), List.of(TINY),
        TritonOptions.of("127.0.0.1", server.port()).withHealth(new TritonHealthOptions(
            Duration.ofMinutes(1), Duration.ofMillis(50), Duration.ofMillis(200),
            Duration.ofHours(1), Duration.ofSeconds(2))));
    await(triton.startup());
    await(triton.infer(request()));
    await(server.stop());
    assertEquals(BackendStatus.UNAVAILABLE, failure(triton.infer(request())).status());
    assertTrue(triton.ready().failed(), "DOWN as soon as a call found Triton unavailable");
    await(server.restart());
    eventually("readiness UP again", () -> triton.ready().succeeded());
    await(triton.infer(request()));
  }

  @Test
  void startup_limitPassesWhileThePeerNeverAnswers_failsWithTheCheckDeadline(Vertx vertx)
      throws Exception {
    TcpPeer silent = await(TcpPeer.silent(vertx));
    try {
      backend(vertx, silent.port(), Duration.ofSeconds(3));
      BackendException e = failure(triton.startup());
      assertEquals(BackendStatus.UNAVAILABLE, e.status());
      // each check ended at its own deadline, so the limit reports a finished check's reason
      assertTrue(e.getMessage().contains("deadline exceeded before Triton answered ServerReady"),
          e.getMessage());
      assertTrue(triton.ready().failed());
    } finally {
      await(silent.close());
    }
  }

  @Test
  void backoff_doublesUpToTheLongestWait() {
    TritonHealthOptions o = new TritonHealthOptions(Duration.ofMinutes(1), Duration.ofMillis(500),
        Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(5));
    assertEquals(List.of(500L, 1000L, 2000L, 3000L, 3000L), List.of(o.backoff(1).toMillis(),
        o.backoff(2).toMillis(), o.backoff(3).toMillis(), o.backoff(4).toMillis(),
        o.backoff(40).toMillis()));
  }
}
