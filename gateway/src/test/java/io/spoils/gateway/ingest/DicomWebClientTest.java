package io.spoils.gateway.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.InvalidInputException;
import io.spoils.gateway.backend.Deadline;
import io.spoils.gateway.config.PacsOptions;
import io.spoils.gateway.failure.AnalysisException;
import io.spoils.gateway.failure.FailureCode;
import io.spoils.gateway.pipeline.AnalysisRequest;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The DICOMweb client against an in-process HTTP server playing a PACS that misbehaves. */
@ExtendWith(VertxExtension.class)
class DicomWebClientTest {

  private static final String STUDY = "1.2.3.4";
  private static final String TYPE = "multipart/related; type=\"application/dicom\"; boundary=b0";

  private HttpServer pacs;
  private DicomWebClient client;
  private final AtomicReference<HttpServerRequest> seen = new AtomicReference<>();

  private void serve(Vertx vertx, Handler<HttpServerRequest> handler, PacsOptionsFactory options,
      long maxBytes, int maxFiles) throws Exception {
    pacs = await(vertx.createHttpServer().requestHandler(req -> {
      seen.set(req);
      handler.handle(req);
    }).listen(0, "127.0.0.1"));
    client = new DicomWebClient(vertx, Map.of("p", options.at("http://127.0.0.1:"
        + pacs.actualPort() + "/dicom-web/")), maxBytes, maxFiles);
  }

  private interface PacsOptionsFactory {
    PacsOptions at(String url);
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      await(client.close());
    }
    if (pacs != null) {
      await(pacs.close());
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private Throwable failure(Future<?> f) throws Exception {
    try {
      await(f);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("the fetch succeeded");
  }

  private Future<List<AnalysisRequest.DicomInput>> fetch(Optional<String> series) {
    return client.fetch(new PacsStudy("p", STUDY, series, Optional.empty()),
        Deadline.after(Duration.ofSeconds(10)));
  }

  private static String multipart(String... parts) {
    StringBuilder b = new StringBuilder();
    for (String p : parts) {
      b.append("--b0\r\nContent-Type: application/dicom\r\n\r\n").append(p).append("\r\n");
    }
    return b.append("--b0--\r\n").toString();
  }

  @Test
  void fetch_seriesWithBasicAuth_partsInOrderAndWadoRequest(Vertx vertx) throws Exception {
    serve(vertx, req -> req.response().putHeader("Content-Type", TYPE)
        .end(multipart("first", "second")),
        url -> new PacsOptions(url, 5, Optional.of("spoils"), Optional.of("secret")),
        1000, 10);
    List<AnalysisRequest.DicomInput> files = await(fetch(Optional.of("5.6")));
    assertEquals(2, files.size());
    assertEquals("instance 1", files.get(0).name());
    assertArrayEquals("second".getBytes(), files.get(1).content());
    HttpServerRequest req = seen.get();
    assertEquals("/dicom-web/studies/1.2.3.4/series/5.6", req.path());
    assertEquals(DicomWebClient.ACCEPT, req.getHeader("Accept"));
    assertEquals("Basic c3BvaWxzOnNlY3JldA==", req.getHeader("Authorization"));
  }

  @Test
  void fetch_serverError_unavailable(Vertx vertx) throws Exception {
    serve(vertx, req -> req.response().setStatusCode(503).end("busy"), PacsOptions::of, 1000, 10);
    PacsException e = assertInstanceOf(PacsException.class, failure(fetch(Optional.empty())));
    assertEquals(PacsException.Status.UNAVAILABLE, e.status());
    assertEquals("PACS p answered HTTP 503", e.getMessage());
  }

  @Test
  void fetch_unknownSeries_notFound(Vertx vertx) throws Exception {
    serve(vertx, req -> req.response().setStatusCode(404).end("{}"), PacsOptions::of, 1000, 10);
    PacsException e = assertInstanceOf(PacsException.class,
        failure(fetch(Optional.of("7.8"))));
    assertEquals(PacsException.Status.NOT_FOUND, e.status());
    assertEquals("series not found in PACS p", e.getMessage());
  }

  @Test
  void fetch_pacsNeverAnswers_deadlineExceededAfterPacsTimeout(Vertx vertx) throws Exception {
    serve(vertx, req -> { }, url -> new PacsOptions(url, 0.3, Optional.empty(), Optional.empty()),
        1000, 10);
    PacsException e = assertInstanceOf(PacsException.class, failure(fetch(Optional.empty())));
    assertEquals(PacsException.Status.DEADLINE_EXCEEDED, e.status());
  }

  @Test
  void fetch_truncatedMultipart_badResponse(Vertx vertx) throws Exception {
    serve(vertx, req -> req.response().putHeader("Content-Type", TYPE)
        .end(multipart("whole").substring(0, 40)), PacsOptions::of, 1000, 10);
    PacsException e = assertInstanceOf(PacsException.class, failure(fetch(Optional.empty())));
    assertEquals(PacsException.Status.BAD_RESPONSE, e.status());
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void fetch_notMultipart_badResponse(Vertx vertx) throws Exception {
    serve(vertx, req -> req.response().putHeader("Content-Type", "application/json").end("[]"),
        PacsOptions::of, 1000, 10);
    PacsException e = assertInstanceOf(PacsException.class, failure(fetch(Optional.empty())));
    assertEquals(PacsException.Status.BAD_RESPONSE, e.status());
  }

  @Test
  void fetch_endlessStudy_tooLargeAndConnectionDropped(Vertx vertx) throws Exception {
    AtomicReference<Boolean> closed = new AtomicReference<>(false);
    serve(vertx, req -> {
      var response = req.response().putHeader("Content-Type", TYPE).setChunked(true);
      response.closeHandler(v -> closed.set(true));
      response.write("--b0\r\n\r\n");
      // keeps sending until the client hangs up
      vertx.setPeriodic(5, id -> {
        if (closed.get() || response.closed()) {
          vertx.cancelTimer(id);
        } else {
          response.write(Buffer.buffer(new byte[4096]));
        }
      });
    }, PacsOptions::of, 100_000, 10);
    Throwable e = failure(fetch(Optional.empty()));
    assertTrue(AnalysisException.is(e, FailureCode.TOO_LARGE), String.valueOf(e));
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!closed.get() && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    assertTrue(closed.get(), "the gateway kept the connection open");
  }

  @Test
  void fetch_tooManyInstances_tooLarge(Vertx vertx) throws Exception {
    serve(vertx, req -> req.response().putHeader("Content-Type", TYPE)
        .end(multipart("a", "b", "c")), PacsOptions::of, 1000, 2);
    Throwable e = failure(fetch(Optional.empty()));
    assertTrue(AnalysisException.is(e, FailureCode.TOO_LARGE), String.valueOf(e));
  }

  @Test
  void pacs_unknownName_invalidInputNamingConfigured(Vertx vertx) throws Exception {
    serve(vertx, req -> { }, PacsOptions::of, 1000, 2);
    Throwable e = failure(client.fetch(new PacsStudy("q", STUDY, Optional.empty(),
        Optional.empty()), Deadline.after(Duration.ofSeconds(1))));
    assertInstanceOf(InvalidInputException.class, e);
    assertEquals("unknown PACS \"q\"; this server knows p", e.getMessage());
  }

  @Test
  void named_noNameOnServerWithOnePacs_thatPacs(Vertx vertx) {
    DicomWebClient one = new DicomWebClient(vertx, Map.of("main",
        PacsOptions.of("http://127.0.0.1:1/dicom-web")), 1000, 2);
    assertEquals("main", one.named(""));
    assertEquals("main", one.named(null));
    assertEquals("main", one.named("main"));
    InvalidInputException unknown = assertThrows(InvalidInputException.class,
        () -> one.named("other"));
    assertEquals("unknown PACS \"other\"; this server knows main", unknown.getMessage());
  }

  @Test
  void named_noNameOnServerWithSeveralOrNone_invalidInputNamingConfigured(Vertx vertx) {
    DicomWebClient two = new DicomWebClient(vertx, Map.of(
        "b", PacsOptions.of("http://127.0.0.1:1/dicom-web"),
        "a", PacsOptions.of("http://127.0.0.1:2/dicom-web")), 1000, 2);
    assertEquals("the study names no PACS; this server knows a, b",
        assertThrows(InvalidInputException.class, () -> two.named("")).getMessage());
    DicomWebClient none = new DicomWebClient(vertx, Map.of(), 1000, 2);
    assertEquals("no PACS is configured on this server: send the files",
        assertThrows(InvalidInputException.class, () -> none.named(null)).getMessage());
  }
}
