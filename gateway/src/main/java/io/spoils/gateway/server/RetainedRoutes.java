package io.spoils.gateway.server;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.spoils.gateway.failure.AnalysisException;
import io.spoils.gateway.failure.Failure;
import io.spoils.gateway.viewer.RecentAnalyses;
import io.spoils.gateway.viewer.RetainedAnalysis;
import io.spoils.proto.v1.AnalysisEvent;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The routes of analyses submitted with {@code Prefer: respond-async} ({@link SubmittedAnalysis}),
 * while {@link RecentAnalyses} keeps them; {@code id} is the analysis id of the 202 answer:
 * <ul>
 *   <li>{@code GET /v1/analyses/{id}}: {@code {"id", "state", "submittedAt", "finishedAt",
 *   "events", "error"}} (state {@code running}, {@code done} or {@code failed}; times ISO-8601 UTC;
 *   {@code events} every event so far; {@code error} a problem object when failed).</li>
 *   <li>{@code GET /v1/analyses/{id}/events}: the events, those so far then each as it comes, as
 *   Server-Sent Events or NDJSON as {@code Accept} asks ({@link EventFormat}, as for a streamed
 *   analysis), ending after the summary or with an error event; a browser's {@code EventSource}
 *   works. With {@code Last-Event-ID} only the later events are sent, and a finished analysis
 *   with none left answers 204 (which stops an EventSource from reconnecting).</li>
 *   <li>{@code GET /v1/analyses/{id}/slice.png}: the analysed slice, windowed, 8-bit greyscale;
 *   {@code GET /v1/analyses/{id}/labels.png}: its label map (class ids 0-13, 8-bit greyscale, the
 *   slice's size); both once the segmentation event has been sent.</li>
 * </ul>
 * An unknown id, one no longer kept, or an image not there yet is a 404 problem JSON. No patient
 * data: ids are the server's own, and nothing here is logged.
 */
public final class RetainedRoutes {

  static final String PREFIX = "/v1/analyses/";

  private final RecentAnalyses store;
  private final JsonFormat.Printer printer = JsonFormat.printer().omittingInsignificantWhitespace();

  public RetainedRoutes(RecentAnalyses store) {
    this.store = store;
  }

  /** The four routes, for {@link HttpEndpoints}'s route table. */
  public Map<HttpEndpoints.Route, Handler<HttpServerRequest>> routes() {
    Map<HttpEndpoints.Route, Handler<HttpServerRequest>> out = new LinkedHashMap<>();
    out.put(new HttpEndpoints.Route(HttpMethod.GET, PREFIX + "{id}"), req -> find(req, "")
        .ifPresent(a -> json(req.response(), status(a))));
    out.put(new HttpEndpoints.Route(HttpMethod.GET, PREFIX + "{id}/events"), req -> find(req,
        "/events").ifPresent(a -> events(req, a)));
    out.put(new HttpEndpoints.Route(HttpMethod.GET, PREFIX + "{id}/slice.png"),
        req -> find(req, "/slice.png").ifPresent(a -> slice(req.response(), a)));
    out.put(new HttpEndpoints.Route(HttpMethod.GET, PREFIX + "{id}/labels.png"),
        req -> find(req, "/labels.png").ifPresent(a -> a.labelsPng().ifPresentOrElse(
            png -> png(req.response(), png), () -> notYet(req.response()))));
    return out;
  }

  /** The kept analysis the path names, or a 404 answered. */
  private Optional<RetainedAnalysis> find(HttpServerRequest req, String suffix) {
    String path = req.path();
    String id = path.substring(PREFIX.length(), path.length() - suffix.length());
    Optional<RetainedAnalysis> a = store.get(id);
    if (a.isEmpty()) {
      HttpEndpoints.problem(req.response(), 404, "Not found", "no analysis with this id is kept: "
          + "it is unknown, or it ended more than " + store.options().retention().toSeconds()
          + " s ago or before the last " + store.options().maxAnalyses() + " kept ones");
    }
    return a;
  }

  private JsonObject status(RetainedAnalysis a) {
    RetainedAnalysis.Snapshot s = a.snapshot();
    JsonObject j = new JsonObject().put("id", a.id())
        .put("state", s.state().name().toLowerCase(Locale.ROOT))
        .put("submittedAt", a.submittedAt().toString());
    a.finishedAt().ifPresent(t -> j.put("finishedAt", t.toString()));
    JsonArray events = new JsonArray();
    s.events().forEach(e -> events.add(new JsonObject(print(e))));
    j.put("events", events);
    s.failure().ifPresent(f -> j.put("error", problem(f)));
    return j;
  }

  private void events(HttpServerRequest req, RetainedAnalysis a) {
    HttpServerResponse response = req.response();
    EventFormat format;
    try {
      format = EventFormat.negotiate(req.getHeader("Accept"));
    } catch (AnalysisException e) {
      Failure f = Failure.of(e);
      HttpEndpoints.problem(response, f.http(), f.title(), f.detail());
      return;
    }
    new EventStream(response, format, lastEventId(req), Vertx.currentContext(), this::print)
        .follow(a);
  }

  /** The sequence of {@code Last-Event-ID}, 0 when absent or not a number. */
  private static long lastEventId(HttpServerRequest req) {
    String v = req.getHeader("Last-Event-ID");
    try {
      return v == null ? 0 : Math.max(0, Long.parseLong(v.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private void slice(HttpServerResponse response, RetainedAnalysis a) {
    a.slicePng().ifPresentOrElse(f -> f.onComplete(ar -> {
      if (ar.succeeded()) {
        png(response, ar.result());
      } else {
        HttpEndpoints.problem(response, 500, "Internal error",
            "the analysed slice could not be rendered");
      }
    }), () -> notYet(response));
  }

  private static void notYet(HttpServerResponse response) {
    HttpEndpoints.problem(response, 404, "Not found", "this analysis has no segmentation yet: "
        + "ask after its segmentation event");
  }

  private static void png(HttpServerResponse response, Buffer png) {
    if (!response.ended()) {
      response.setStatusCode(200).putHeader("Content-Type", "image/png")
          .putHeader("Cache-Control", "no-store").end(png);
    }
  }

  static JsonObject problem(Failure f) {
    return HttpEndpoints.problemJson(f.http(), f.title(), f.detail());
  }

  private String print(AnalysisEvent e) {
    try {
      return printer.print(e);
    } catch (InvalidProtocolBufferException ex) {
      throw new IllegalStateException("cannot print an event as JSON", ex);
    }
  }

  private static void json(HttpServerResponse response, JsonObject body) {
    response.setStatusCode(200).putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store").end(body.encode());
  }

  /** One {@code GET .../events}: replays, then follows, on the request's context. */
  private static final class EventStream implements RetainedAnalysis.Listener {
    private final HttpServerResponse response;
    private final EventFormat format;
    private final Context context;
    private final Function<AnalysisEvent, String> print;
    private final QueuedWriter<Buffer> writer;
    private long last;

    EventStream(HttpServerResponse response, EventFormat format, long after, Context context,
        Function<AnalysisEvent, String> print) {
      this.response = response;
      this.format = format;
      this.last = after;
      this.context = context;
      this.print = print;
      this.writer = new QueuedWriter<>(response);
    }

    void follow(RetainedAnalysis a) {
      RetainedAnalysis.Snapshot s = a.subscribe(this);
      boolean over = s.state() != RetainedAnalysis.State.RUNNING;
      if (over && format == EventFormat.SSE && s.failure().isEmpty()
          && s.events().stream().noneMatch(e -> e.getSequence() > last)) {
        response.setStatusCode(204).end(); // nothing left: an EventSource stops reconnecting
        return;
      }
      response.closeHandler(v -> a.unsubscribe(this));
      response.setStatusCode(200).setChunked(true).putHeader("Content-Type", format.mediaType())
          .putHeader("Cache-Control", "no-cache").putHeader("X-Accel-Buffering", "no");
      s.events().forEach(this::write);
      if (over) {
        end(s.failure());
      }
    }

    @Override
    public void event(AnalysisEvent event) {
      context.runOnContext(v -> write(event));
    }

    @Override
    public void end(Optional<Failure> failure) {
      context.runOnContext(v -> {
        if (!response.closed()) {
          failure.ifPresent(f -> writer.write(format.error(problem(f))));
          writer.finish(s -> response.end());
        }
      });
    }

    private void write(AnalysisEvent e) {
      if (e.getSequence() > last && !response.closed()) {
        last = e.getSequence();
        writer.write(format.event(e, print.apply(e)));
      }
    }
  }
}
