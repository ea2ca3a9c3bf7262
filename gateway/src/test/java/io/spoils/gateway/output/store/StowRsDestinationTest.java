package io.spoils.gateway.output.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.gateway.backend.Deadline;
import io.spoils.gateway.config.PacsOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** STOW-RS against an in-process HTTP server: answers, retries, refusals and the deadline. */
@ExtendWith(VertxExtension.class)
class StowRsDestinationTest {

  private static final List<byte[]> OBJECTS = List.of("first".getBytes(StandardCharsets.US_ASCII),
      "second".getBytes(StandardCharsets.US_ASCII));
  private HttpServer server;
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<String> headers = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      await(server.close());
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** A PACS whose n-th request (0-based) is answered by {@code answer}. */
  private StowRsDestination pacs(Vertx vertx, BiConsumer<Integer, HttpServerRequest> answer)
      throws Exception {
    AtomicInteger n = new AtomicInteger();
    server = await(vertx.createHttpServer().requestHandler(req -> {
      headers.add(req.method() + " " + req.path() + " " + req.getHeader("Content-Type") + " "
          + req.getHeader("Authorization"));
      req.body().onSuccess(b -> {
        bodies.add(b.toString(StandardCharsets.US_ASCII));
        answer.accept(n.getAndIncrement(), req);
      });
    }).listen(0, "127.0.0.1"));
    PacsOptions options = new PacsOptions("http://127.0.0.1:" + server.actualPort()
        + "/dicom-web", 30, Optional.of("spoils"), Optional.of("secret"));
    return new StowRsDestination(vertx, "main", options,
        vertx.createHttpClient(new HttpClientOptions()));
  }

  private static Future<Void> tried(Future<Void> f) throws Exception {
    try {
      await(f);
    } catch (java.util.concurrent.ExecutionException e) {
      // the future holds the failure
    }
    return f;
  }

  @Test
  void send_503Then200_retriedAndStoredAsMultipart(Vertx vertx) throws Exception {
    StowRsDestination d = pacs(vertx, (i, req) -> req.response().setStatusCode(i == 0 ? 503 : 200)
        .end("{}"));
    Future<Void> f = tried(new Retry(vertx, 3, 10).run(dl -> d.send(OBJECTS, dl),
        Deadline.after(Duration.ofSeconds(10))));
    assertTrue(f.succeeded(), () -> String.valueOf(f.cause()));
    assertEquals(2, bodies.size());
    String h = headers.get(1);
    assertTrue(h.startsWith("POST /dicom-web/studies multipart/related; "
        + "type=\"application/dicom\"; boundary="), h);
    assertTrue(h.endsWith(" Basic c3BvaWxzOnNlY3JldA=="), h);
    String boundary = h.substring(h.indexOf("boundary=") + 9, h.indexOf(' ', h.indexOf("boundary=")));
    assertEquals("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\nfirst\r\n--"
        + boundary + "\r\nContent-Type: application/dicom\r\n\r\nsecond\r\n--" + boundary
        + "--\r\n", bodies.get(1));
  }

  @Test
  void send_409_notRetried(Vertx vertx) throws Exception {
    StowRsDestination d = pacs(vertx, (i, req) -> req.response().setStatusCode(409).end());
    Future<Void> f = tried(new Retry(vertx, 3, 10).run(dl -> d.send(OBJECTS, dl),
        Deadline.after(Duration.ofSeconds(10))));
    assertFalse(f.succeeded());
    assertEquals("DICOMweb PACS main answered HTTP 409", f.cause().getMessage());
    assertEquals(1, bodies.size());
  }

  @Test
  void send_failedSopSequence_refusedNotRetried(Vertx vertx) throws Exception {
    StowRsDestination d = pacs(vertx, (i, req) -> req.response().setStatusCode(202).end(
        "{\"00081198\":{\"vr\":\"SQ\",\"Value\":[{}]}}"));
    Future<Void> f = tried(new Retry(vertx, 3, 10).run(dl -> d.send(OBJECTS, dl),
        Deadline.after(Duration.ofSeconds(10))));
    assertFalse(f.succeeded());
    assertEquals("DICOMweb PACS main refused 1 of the objects", f.cause().getMessage());
    assertEquals(1, bodies.size());
  }

  @Test
  void send_401_credentialsRefused(Vertx vertx) throws Exception {
    StowRsDestination d = pacs(vertx, (i, req) -> req.response().setStatusCode(401).end());
    Future<Void> f = tried(d.send(OBJECTS, Deadline.after(Duration.ofSeconds(10))));
    assertEquals("DICOMweb PACS main refused the gateway's credentials (HTTP 401)",
        f.cause().getMessage());
  }

  @Test
  void send_neverAnswers_failsAtTheDeadline(Vertx vertx) throws Exception {
    StowRsDestination d = pacs(vertx, (i, req) -> { });
    long start = System.nanoTime();
    Future<Void> f = tried(new Retry(vertx, 3, 10).run(dl -> d.send(OBJECTS, dl),
        Deadline.after(Duration.ofMillis(700))));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertFalse(f.succeeded());
    assertTrue(f.cause().getMessage().startsWith("DICOMweb PACS main did not answer"),
        f.cause().getMessage());
    assertTrue(ms >= 600 && ms < 5000, ms + " ms");
  }
}
