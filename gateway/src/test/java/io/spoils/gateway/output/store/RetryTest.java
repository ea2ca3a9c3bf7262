package io.spoils.gateway.output.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.gateway.backend.Deadline;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class RetryTest {

  private static Future<Void> await(Future<Void> f) throws Exception {
    try {
      f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      // the future holds the failure
    }
    return f;
  }

  @Test
  void run_failsTwiceThenSucceeds_succeedsOnThirdTry(Vertx vertx) throws Exception {
    AtomicInteger tries = new AtomicInteger();
    Future<Void> f = await(new Retry(vertx, 3, 10).run(d -> tries.incrementAndGet() < 3
        ? Future.failedFuture(new StoreException("busy", true)) : Future.succeededFuture(),
        Deadline.after(Duration.ofSeconds(5))));
    assertTrue(f.succeeded());
    assertEquals(3, tries.get());
  }

  @Test
  void run_alwaysRetryable_stopsAfterAttempts(Vertx vertx) throws Exception {
    AtomicInteger tries = new AtomicInteger();
    Future<Void> f = await(new Retry(vertx, 4, 1).run(d -> {
      tries.incrementAndGet();
      return Future.failedFuture(new StoreException("down", true));
    }, Deadline.after(Duration.ofSeconds(5))));
    assertFalse(f.succeeded());
    assertEquals(4, tries.get());
    assertEquals("down", f.cause().getMessage());
  }

  @Test
  void run_notRetryable_stopsAtOnce(Vertx vertx) throws Exception {
    AtomicInteger tries = new AtomicInteger();
    Future<Void> f = await(new Retry(vertx, 5, 1).run(d -> {
      tries.incrementAndGet();
      return Future.failedFuture(new StoreException("refused", false));
    }, Deadline.after(Duration.ofSeconds(5))));
    assertFalse(f.succeeded());
    assertEquals(1, tries.get());
  }

  @Test
  void run_backoffPastDeadline_stopsBeforeDeadline(Vertx vertx) throws Exception {
    AtomicInteger tries = new AtomicInteger();
    long start = System.nanoTime();
    Future<Void> f = await(new Retry(vertx, 10, 400).run(d -> {
      tries.incrementAndGet();
      return Future.failedFuture(new StoreException("down", true));
    }, Deadline.after(Duration.ofMillis(1000))));
    assertFalse(f.succeeded());
    assertEquals(2, tries.get(), "tries at 0 and 400 ms; the next wait (800 ms) ends too late");
    assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(1000));
  }
}
