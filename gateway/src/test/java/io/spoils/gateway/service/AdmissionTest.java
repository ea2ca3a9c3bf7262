package io.spoils.gateway.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.gateway.failure.AnalysisException;
import io.spoils.gateway.failure.FailureCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class AdmissionTest {

  @Test
  void acquire_queueThenRefuse(Vertx vertx) throws Exception {
    Admission a = new Admission(1, 1);
    Future<Admission.Permit> first = a.acquire(vertx);
    assertTrue(first.succeeded());
    Future<Admission.Permit> queued = a.acquire(vertx);
    assertFalse(queued.isComplete());
    assertTrue(a.saturated());
    Future<Admission.Permit> refused = a.acquire(vertx);
    assertEquals(FailureCode.BUSY,
        assertInstanceOf(AnalysisException.class, refused.cause()).code());
    first.result().release();
    first.result().release(); // idempotent: must not free a second slot
    Admission.Permit second = queued.toCompletionStage().toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
    assertEquals(1, a.inFlight());
    assertEquals(0, a.queued());
    second.release();
    assertEquals(0, a.inFlight());
    assertTrue(a.acquire(vertx).succeeded());
  }

  @Test
  void acquire_queuedPastMaxWait_refusedAsQueueTimeout(Vertx vertx) throws Exception {
    Admission a = new Admission(1, 2, java.time.Duration.ofMillis(50));
    Admission.Permit held = a.acquire(vertx).result();
    Future<Admission.Permit> queued = a.acquire(vertx);
    var e = org.junit.jupiter.api.Assertions.assertThrows(
        java.util.concurrent.ExecutionException.class,
        () -> queued.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertEquals(FailureCode.QUEUE_TIMEOUT,
        assertInstanceOf(AnalysisException.class, e.getCause()).code());
    assertEquals(0, a.queued());
    held.release();
    assertEquals(0, a.inFlight(), "the timed-out waiter took no slot");
  }

  @Test
  void acquire_callerBoundShorterThanMaxWait_refusedAtCallerBound(Vertx vertx) throws Exception {
    Admission a = new Admission(1, 1, java.time.Duration.ofMinutes(5));
    a.acquire(vertx).result();
    Future<Admission.Permit> queued = a.acquire(vertx, java.time.Duration.ofMillis(50),
        new io.spoils.gateway.pipeline.Cancellation());
    var e = org.junit.jupiter.api.Assertions.assertThrows(
        java.util.concurrent.ExecutionException.class,
        () -> queued.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertTrue(e.getCause().getMessage().contains("50 ms"), e.getCause().getMessage());
  }

  @Test
  void acquire_cancelledWhileQueued_leavesQueue(Vertx vertx) throws Exception {
    Admission a = new Admission(1, 1);
    Admission.Permit held = a.acquire(vertx).result();
    var cancellation = new io.spoils.gateway.pipeline.Cancellation();
    Future<Admission.Permit> queued = a.acquire(vertx, java.time.Duration.ofMinutes(1),
        cancellation);
    assertEquals(1, a.queued());
    cancellation.cancel();
    var e = org.junit.jupiter.api.Assertions.assertThrows(
        java.util.concurrent.ExecutionException.class,
        () -> queued.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertInstanceOf(io.spoils.gateway.pipeline.AnalysisCancelledException.class, e.getCause());
    assertEquals(0, a.queued());
    held.release();
    assertEquals(0, a.inFlight());
  }
}
