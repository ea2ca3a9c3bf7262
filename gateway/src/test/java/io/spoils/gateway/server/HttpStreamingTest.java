package io.spoils.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.gateway.backend.InferenceBackend;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.testing.ExampleBackend;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code POST /v1/analyses} as a frontend reads it: Server-Sent Events read incrementally, content
 * negotiation by {@code Accept}, and failures after the stream started.
 */
@ExtendWith(VertxExtension.class)
class HttpStreamingTest {

  private static byte[] slice;
  private ExampleBackend backend;
  @RegisterExtension
  final StartedServer servers = new StartedServer();
  private TestServer server;

  @BeforeAll
  static void load() throws Exception {
    slice = TestDicom.example();
  }

  private void start(Vertx vertx, InferenceBackend models) throws Exception {
    server = servers.start(vertx, models, ServerOptions.defaults());
  }

  private HttpRequest analysis(String accept) {
    HttpRequest.Builder b = server.post("/v1/analyses?odi=45&nrs=7", "application/dicom", slice);
    return accept == null ? b.build() : b.header("Accept", accept).build();
  }

  @Test
  void httpAnalysesSse_firstDiscArrivesBeforeSummary(Vertx vertx) throws Exception {
    backend = new ExampleBackend();
    start(vertx, backend);
    Promise<Void> second = backend.holdGradingCall(1);
    HttpResponse<Stream<String>> response = server.http.send(analysis("text/event-stream"),
        HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, response.statusCode());
    assertEquals(HttpEndpoints.SSE, response.headers().firstValue("Content-Type").orElse(""));
    assertEquals("no-cache", response.headers().firstValue("Cache-Control").orElse(""));
    SseReader sse = new SseReader(response.body().iterator());
    List<SseReader.Event> seen = new ArrayList<>();
    while (seen.isEmpty() || !seen.get(seen.size() - 1).event().equals("disc")) {
      seen.add(sse.next());
    }
    // the second disc's grading is held by the backend: the first disc reached this client while
    // the server could not yet have a summary
    assertEquals("accepted", seen.get(0).event());
    assertTrue(seen.stream().noneMatch(e -> e.event().equals("summary")));
    vertx.runOnContext(v -> second.complete());
    SseReader.Event e;
    while ((e = sse.next()) != null) {
      seen.add(e);
    }
    assertEquals("summary", seen.get(seen.size() - 1).event());
    for (int i = 0; i < seen.size(); i++) {
      SseReader.Event event = seen.get(i);
      JsonObject json = event.json();
      assertTrue(json.containsKey(event.event()), event.event() + " event holds " + json);
      assertEquals(Integer.toString(i + 1), event.id());
      assertEquals(i + 1, json.getInteger("sequence"));
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
      "NULL | application/x-ndjson",
      "*/* | application/x-ndjson",
      "text/event-stream | text/event-stream",
      "text/event-stream;q=0.5, application/x-ndjson | application/x-ndjson",
      "application/x-ndjson;q=0.2, text/* | text/event-stream",
      "text/*;q=0.9, */*;q=0.8 | text/event-stream",
      "text/event-stream;q=0, */* | application/x-ndjson",
      "application/json, text/event-stream;q=0.1 | text/event-stream"})
  void httpAnalyses_acceptChoosesFormat(String accept, String expected, Vertx vertx)
      throws Exception {
    start(vertx, new ExampleBackend());
    HttpResponse<String> response = server.send(analysis(accept));
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(expected, response.headers().firstValue("Content-Type").orElse(""));
    String body = response.body();
    if (expected.equals(HttpEndpoints.SSE)) {
      assertTrue(body.startsWith("event: accepted\nid: 1\ndata: {"), body);
      assertTrue(body.contains("\nevent: summary\n"), body);
    } else {
      String[] lines = body.split("\n");
      assertTrue(new JsonObject(lines[0]).containsKey("accepted"));
      assertTrue(new JsonObject(lines[lines.length - 1]).containsKey("summary"));
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"application/json", "image/png, text/html",
      "text/event-stream;q=0, application/x-ndjson;q=0"})
  void httpAnalyses_unservableAccept_406Problem(String accept, Vertx vertx) throws Exception {
    start(vertx, new ExampleBackend());
    HttpResponse<String> response = server.send(analysis(accept));
    SpoilsServerTest.assertProblem(response, 406);
    assertTrue(new JsonObject(response.body()).getString("detail").contains("text/event-stream"));
  }

  @Test
  void httpAnalysesSse_failureAfterStart_errorEvent(Vertx vertx) throws Exception {
    start(vertx, new ExampleBackend().failGrading("grading model unreachable"));
    HttpResponse<String> response = server.send(analysis("text/event-stream"));
    assertEquals(200, response.statusCode());
    SseReader sse = new SseReader(response.body().lines().iterator());
    List<SseReader.Event> events = new ArrayList<>();
    SseReader.Event e;
    while ((e = sse.next()) != null) {
      events.add(e);
    }
    assertEquals("accepted", events.get(0).event());
    SseReader.Event last = events.get(events.size() - 1);
    assertEquals("error", last.event());
    assertNull(last.id());
    JsonObject problem = last.json();
    assertEquals(503, problem.getInteger("status"));
    assertTrue(problem.getString("detail").contains("grading model unreachable"));
    assertTrue(events.stream().noneMatch(x -> x.event().equals("summary")));
  }

  @Test
  void httpAnalysesNdjson_failureAfterStart_errorLine(Vertx vertx) throws Exception {
    start(vertx, new ExampleBackend().failGrading("grading model unreachable"));
    HttpResponse<String> response = server.send(analysis(null));
    assertEquals(200, response.statusCode());
    String[] lines = response.body().split("\n");
    assertTrue(new JsonObject(lines[0]).containsKey("accepted"));
    JsonObject error = new JsonObject(lines[lines.length - 1]).getJsonObject("error");
    assertNotNull(error, lines[lines.length - 1]);
    assertEquals(503, error.getInteger("status"));
    assertFalse(response.body().contains("\"summary\""));
  }
}
