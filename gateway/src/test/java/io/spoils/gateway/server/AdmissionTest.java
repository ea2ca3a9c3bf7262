package io.spoils.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    assertInstanceOf(Admission.AdmissionException.class, refused.cause());
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
}
