package io.spoils.gateway.backend.triton;

import static io.spoils.gateway.backend.triton.TritonBackendTest.TINY;
import static io.spoils.gateway.backend.triton.TritonBackendTest.TINY_CONFIG;
import static io.spoils.gateway.backend.triton.TritonBackendTest.await;
import static io.spoils.gateway.backend.triton.TritonBackendTest.quick;
import static io.spoils.gateway.backend.triton.TritonBackendTest.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.gateway.backend.BackendException;
import io.spoils.gateway.backend.BackendStatus;
import io.spoils.gateway.backend.Deadline;
import io.spoils.gateway.backend.InferRequest;
import io.spoils.gateway.backend.ModelRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every call to Triton ends by its deadline when the peer stops answering: below HTTP/2 (a TCP
 * peer that accepts and reads but never writes, on the open connection and on a new one) and
 * above it (an HTTP/2 server that accepts each stream and never answers). Outcomes are asserted,
 * never timings: without the bound these calls would not end while the peer holds the sockets.
 */
@ExtendWith(VertxExtension.class)
class TritonDeadlineTest {

  private static final int CALLS = 4;

  @TempDir
  Path served;
  @TempDir
  Path local;

  private KServeTestServer server;
  private TcpPeer proxy;
  private TritonBackend triton;

  @AfterEach
  void close() throws Exception {
    if (triton != null) {
      await(triton.close());
    }
    if (proxy != null) {
      await(proxy.close());
    }
    if (server != null) {
      await(server.close());
    }
  }

  /** A started backend to the KServe server through {@link #proxy}. */
  private void startThroughProxy(Vertx vertx) throws Exception {
    TritonBackendTest.writeModel(served, TINY, TINY_CONFIG);
    TritonBackendTest.writeModel(local, TINY, TINY_CONFIG);
    server = await(KServeTestServer.start(vertx, ModelRepository.load(served)));
    proxy = await(TcpPeer.proxy(vertx, server.port()));
    triton = new TritonBackend(vertx, ModelRepository.load(local), List.of(TINY),
        quick(proxy.port(), Duration.ofMinutes(1)));
    await(triton.startup());
    await(triton.infer(request(Duration.ofMinutes(1))));
  }

  private static InferRequest request(Duration deadline) {
    return InferRequest.of(TINY, Map.of("x", random(1, 1, 2, 4, 4)), Deadline.after(deadline));
  }

  /** {@link #CALLS} calls at once with a 1 s deadline; the status each ended with. */
  private List<BackendStatus> callsAtOnce() throws Exception {
    List<Future<?>> calls = new ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      calls.add(triton.infer(request(Duration.ofSeconds(1))));
    }
    List<BackendStatus> out = new ArrayList<>();
    for (Future<?> call : calls) {
      out.add(TritonBackendTest.failure(call).status());
    }
    return out;
  }

  @Test
  void infer_openConnectionGoesSilent_allEndDeadlineExceeded(Vertx vertx) throws Exception {
    startThroughProxy(vertx);
    proxy.silence();
    assertEquals(List.of(BackendStatus.DEADLINE_EXCEEDED, BackendStatus.DEADLINE_EXCEEDED,
        BackendStatus.DEADLINE_EXCEEDED, BackendStatus.DEADLINE_EXCEEDED), callsAtOnce());
  }

  @Test
  void infer_newConnectionToAPeerThatNeverAnswers_allEndDeadlineExceeded(Vertx vertx)
      throws Exception {
    startThroughProxy(vertx);
    proxy.silence();
    int before = proxy.accepted();
    proxy.dropConnections();
    // the next health check connects again: a TCP handshake, then silence
    TritonHealthTest.eventually("a new connection", () -> proxy.accepted() > before);
    assertEquals(List.of(BackendStatus.DEADLINE_EXCEEDED, BackendStatus.DEADLINE_EXCEEDED,
        BackendStatus.DEADLINE_EXCEEDED, BackendStatus.DEADLINE_EXCEEDED), callsAtOnce());
  }

  @Test
  void infer_streamsAcceptedAndNeverAnswered_allEndDeadlineExceeded(Vertx vertx)
      throws Exception {
    startThroughProxy(vertx);
    server.hang(true);
    int held = server.held();
    assertEquals(List.of(BackendStatus.DEADLINE_EXCEEDED, BackendStatus.DEADLINE_EXCEEDED,
        BackendStatus.DEADLINE_EXCEEDED, BackendStatus.DEADLINE_EXCEEDED), callsAtOnce());
    assertTrue(server.held() - held >= CALLS, "the server held the calls' streams");
    BackendException e = TritonBackendTest.failure(triton.infer(request(Duration.ofMillis(200))));
    assertTrue(e.getMessage().contains("deadline exceeded"), e.getMessage());
  }
}
