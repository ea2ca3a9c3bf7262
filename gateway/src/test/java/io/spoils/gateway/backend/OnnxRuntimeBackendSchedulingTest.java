package io.spoils.gateway.backend;

import static io.spoils.gateway.backend.OnnxRuntimeBackendTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.tensor.FloatTensor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Deadlines while queued and running, the bounded queue and the completion context, with the
 * committed test repository's {@code slow_chain} model (seconds per run; see generate_slow_chain.py).
 */
@ExtendWith(VertxExtension.class)
class OnnxRuntimeBackendSchedulingTest {

  private static final String SLOW = "slow_chain";

  private OnnxRuntimeBackend backend;

  @AfterEach
  void close() throws Exception {
    if (backend != null) {
      await(backend.close());
    }
  }

  private void start(Vertx vertx, int queueCapacity) throws Exception {
    Path repo = Path.of(getClass().getResource("/backend/repository").toURI());
    backend = new OnnxRuntimeBackend(vertx, ModelRepository.load(repo), new OnnxRuntimeOptions(1, 1, queueCapacity));
    await(backend.ready());
  }

  private static InferRequest slow(Duration timeout) {
    float[] data = new float[512 * 512];
    for (int i = 0; i < data.length; i++) {
      data[i] = (i % 17) / 170f;
    }
    return InferRequest.of(SLOW, Map.of("x", FloatTensor.of(data, 1, 512, 512)), Deadline.after(timeout));
  }

  private static InferRequest tiny() {
    return InferRequest.of(TestRepositories.TINY, Map.of("x", FloatTensor.of(new float[] {1f, 2f}, 1, 2, 1, 1)),
        Deadline.after(Duration.ofMinutes(1)));
  }

  @Test
  void infer_deadlinePassesWhileRunning(Vertx vertx) throws Exception {
    start(vertx, 4);
    assertStatus(backend.infer(slow(Duration.ofMillis(300))), BackendStatus.DEADLINE_EXCEEDED);
    // the terminated run frees the only worker for the next call
    assertEquals(5.5f, await(backend.infer(tiny())).output("y").data()[0], 1e-6f);
  }

  @Test
  void infer_queueFullAndDeadlineWhileQueued(Vertx vertx) throws Exception {
    start(vertx, 1);
    Future<InferResponse> running = backend.infer(slow(Duration.ofMillis(1500)));
    // the single worker must have taken the first call off the queue before the second arrives,
    // or the second would find the one-place queue full (a race on a loaded machine)
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (backend.queued() > 0 && System.nanoTime() < until) {
      Thread.sleep(5);
    }
    Future<InferResponse> queued = backend.infer(slow(Duration.ofMillis(1500)));
    BackendException rejected = assertStatus(backend.infer(slow(Duration.ofMinutes(1))), BackendStatus.UNAVAILABLE);
    assertTrue(rejected.getMessage().contains("queue is full"), rejected.getMessage());
    assertStatus(running, BackendStatus.DEADLINE_EXCEEDED);
    assertStatus(queued, BackendStatus.DEADLINE_EXCEEDED);
  }

  @Test
  void close_stopsRunningAndQueuedCalls(Vertx vertx) throws Exception {
    start(vertx, 4);
    Future<InferResponse> running = backend.infer(slow(Duration.ofMinutes(1)));
    Future<InferResponse> queued = backend.infer(slow(Duration.ofMinutes(1)));
    await(backend.close());
    backend = null;
    assertStatus(running, BackendStatus.UNAVAILABLE);
    assertStatus(queued, BackendStatus.UNAVAILABLE);
  }

  @Test
  void infer_completesOnCallerContext(Vertx vertx) throws Exception {
    start(vertx, 4);
    Context caller = vertx.getOrCreateContext();
    CompletableFuture<Context> seen = new CompletableFuture<>();
    caller.runOnContext(v -> backend.infer(tiny()).onComplete(ar -> seen.complete(Vertx.currentContext())));
    assertSame(caller, seen.get(1, TimeUnit.MINUTES));
  }

  @Test
  void ready_completesOnceLoaded(Vertx vertx) throws Exception {
    start(vertx, 4);
    Promise<Void> p = Promise.promise();
    backend.ready().onComplete(p);
    await(p.future());
    assertEquals(2, backend.models().size());
    assertTrue(backend.model(SLOW).isPresent());
  }

  private static BackendException assertStatus(Future<?> future, BackendStatus status) throws Exception {
    try {
      future.toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      BackendException b = assertInstanceOf(BackendException.class, e.getCause());
      assertEquals(status, b.status(), b.getMessage());
      return b;
    }
    throw new AssertionError("expected " + status + ", got a result");
  }
}
