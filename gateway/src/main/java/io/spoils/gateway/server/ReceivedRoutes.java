package io.spoils.gateway.server;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.spoils.gateway.ingest.ReceivedAnalyses;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /v1/received}: the recent analyses of series received by the C-STORE listener, newest
 * first, each {@code {"id", "state", "filesReceived", "receivedAt", "completedAt", "finishedAt",
 * "summary", "error"}} (times ISO-8601 UTC; {@code summary} the {@code spoils.v1.AnalysisEvent}
 * carrying the summary, once there is one; {@code error} a problem object when FAILED).
 * {@code GET /v1/received/{id}}: one of them with {@code "events"}, every event of its analysis.
 * 404 problem JSON for an unknown id, or for both routes while the listener is off. No patient
 * data: ids are the server's own. {@link #routes()} hands both to {@link HttpEndpoints}, which
 * dispatches them and documents them in the OpenAPI document.
 */
public final class ReceivedRoutes {

  static final String PREFIX = "/v1/received";

  private final ReceivedAnalyses store;
  private final JsonFormat.Printer printer = JsonFormat.printer().omittingInsignificantWhitespace();

  /** @param store the listener's analyses; null when the listener is off */
  public ReceivedRoutes(ReceivedAnalyses store) {
    this.store = store;
  }

  /**
   * The two routes, {@code GET /v1/received} and {@code GET /v1/received/{id}} (an OpenAPI path
   * template: {@code id} is one non-empty path segment), in this order, for
   * {@link HttpEndpoints}'s route table; other methods on them get its 405.
   */
  public Map<HttpEndpoints.Route, Handler<HttpServerRequest>> routes() {
    Map<HttpEndpoints.Route, Handler<HttpServerRequest>> out = new LinkedHashMap<>();
    out.put(new HttpEndpoints.Route(HttpMethod.GET, PREFIX), this::list);
    out.put(new HttpEndpoints.Route(HttpMethod.GET, PREFIX + "/{id}"), this::one);
    return out;
  }

  private void list(HttpServerRequest req) {
    if (store == null) {
      off(req.response());
      return;
    }
    JsonArray list = new JsonArray();
    store.list().forEach(e -> list.add(json(e, false)));
    json(req.response(), new JsonObject().put("analyses", list));
  }

  private void one(HttpServerRequest req) {
    if (store == null) {
      off(req.response());
      return;
    }
    String id = req.path().substring(PREFIX.length() + 1);
    store.get(id).ifPresentOrElse(e -> json(req.response(), json(e, true)),
        () -> problem(req.response(), 404, "Not found", "no received analysis has this id"));
  }

  private static void off(HttpServerResponse response) {
    problem(response, 404, "Not found", "the DICOM listener is off (set SPOILS_DICOM_PORT)");
  }

  private JsonObject json(ReceivedAnalyses.Entry e, boolean events) {
    JsonObject j = new JsonObject().put("id", e.id())
        .put("state", e.state().name().toLowerCase(Locale.ROOT))
        .put("filesReceived", e.filesReceived()).put("receivedAt", e.receivedAt().toString());
    e.completedAt().ifPresent(t -> j.put("completedAt", t.toString()));
    e.finishedAt().ifPresent(t -> j.put("finishedAt", t.toString()));
    e.summary().ifPresent(s -> j.put("summary", new JsonObject(print(s))));
    e.error().ifPresent(m -> j.put("error",
        HttpEndpoints.problemJson(m.http(), m.title(), m.detail())));
    if (events) {
      JsonArray all = new JsonArray();
      e.events().forEach(ev -> all.add(new JsonObject(print(ev))));
      j.put("events", all);
    }
    return j;
  }

  private String print(MessageOrBuilder m) {
    try {
      return printer.print(m);
    } catch (InvalidProtocolBufferException ex) {
      throw new IllegalStateException("cannot print an event as JSON", ex);
    }
  }

  private static void json(HttpServerResponse response, JsonObject body) {
    response.setStatusCode(200).putHeader("Content-Type", "application/json").end(body.encode());
  }

  private static void problem(HttpServerResponse response, int status, String title,
      String detail) {
    HttpEndpoints.problem(response, status, title, detail);
  }
}
