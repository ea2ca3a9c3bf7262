package io.spoils.gateway.server;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.spoils.feature.InvalidInputException;
import io.spoils.gateway.api.ProtoEncoder;
import io.spoils.gateway.config.RetentionOptions;
import io.spoils.gateway.failure.Failure;
import io.spoils.gateway.failure.FailureCode;
import io.spoils.gateway.ingest.DicomWebClient;
import io.spoils.gateway.service.AnalysisService;
import io.spoils.gateway.viewer.RecentAnalyses;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The HTTP routes ({@link #routes()}, documented in the OpenAPI 3.1 document served at
 * {@code GET /v1/openapi.json}, resource {@value #OPENAPI_RESOURCE}):
 * <ul>
 *   <li>{@code POST /v1/analyses}: the study as one DICOM file ({@code Content-Type:
 *   application/dicom}) or as a series ({@code multipart/form-data}, one file part per DICOM
 *   file); {@code odi} (0-100) and {@code nrs} (0-10), both or neither, optional
 *   {@code include_mask}, {@code max_contributions}, {@code compute_volume} and
 *   {@code store_results} (the SR and SEG back to the PACS, {@code output.store}), as query
 *   parameters or form fields. The
 *   events ({@code spoils.v1.AnalysisEvent}, proto JSON mapping) leave one by one as they are
 *   ready, as NDJSON (the default) or Server-Sent Events ({@code Accept: text/event-stream}); see
 *   {@link HttpAnalysis} and {@link EventFormat}. A failure before the first event is a problem
 *   JSON (RFC 9457) with its HTTP status; a failure after it ends the stream with an error
 *   line or event.</li>
 *   <li>{@code GET /v1/models}: {@code spoils.v1.ListModelsResponse} as JSON.</li>
 *   <li>{@code GET /v1/openapi.json}: the OpenAPI document.</li>
 *   <li>{@code GET /health/live}: 200 while the process serves; {@code GET /health/ready}: 200 once
 *   the models are loaded and the warm-up studies have run ({@code SPOILS_WARMUP_STUDIES}), else
 *   503 with the reason.</li>
 *   <li>{@code GET /metrics}: the Prometheus text exposition of
 *   {@link io.spoils.gateway.metrics.GatewayMetrics}.</li>
 *   <li>{@code GET /v1/received}, {@code GET /v1/received/{id}}: analyses of series received by
 *   the C-STORE listener ({@link ReceivedRoutes}).</li>
 *   <li>{@code POST /v1/analyses} with {@code Prefer: respond-async}: 202 and the analysis id
 *   ({@link SubmittedAnalysis}); {@code GET /v1/analyses/{id}[/events|/slice.png|/labels.png]}
 *   while it is kept ({@link RetainedRoutes}); the web viewer at {@code /viewer/}
 *   ({@link ViewerRoutes}).</li>
 * </ul>
 */
public final class HttpEndpoints implements Handler<HttpServerRequest> {

  static final String NDJSON = EventFormat.NDJSON.mediaType();
  static final String SSE = EventFormat.SSE.mediaType();
  static final String PROBLEM = "application/problem+json";
  /** Class-path resource of the OpenAPI document. */
  static final String OPENAPI_RESOURCE = "/io/spoils/gateway/server/openapi.json";

  /**
   * One route.
   *
   * @param method the HTTP method
   * @param path the path as an OpenAPI path template: exact segments, or {@code {name}} for one
   *     non-empty segment (e.g. {@code /v1/received/{id}})
   */
  public record Route(HttpMethod method, String path) {

    /** Whether the request path {@code requestPath} is an instance of {@link #path()}. */
    public boolean matches(String requestPath) {
      if (path.indexOf('{') < 0) {
        return path.equals(requestPath);
      }
      String[] template = path.split("/", -1);
      String[] actual = requestPath.split("/", -1);
      if (template.length != actual.length) {
        return false;
      }
      for (int i = 0; i < template.length; i++) {
        boolean variable = template[i].startsWith("{") && template[i].endsWith("}");
        if (variable ? actual[i].isEmpty() : !template[i].equals(actual[i])) {
          return false;
        }
      }
      return true;
    }
  }

  /** {@code POST /v1/analyses}, the one route with query parameters. */
  private static final Route ANALYZE = new Route(HttpMethod.POST, "/v1/analyses");

  private final AnalysisService service;
  private final DicomWebClient dicomWeb;
  private final JsonFormat.Printer printer = JsonFormat.printer().omittingInsignificantWhitespace();
  private final Map<Route, Handler<HttpServerRequest>> routes = new LinkedHashMap<>();
  private final Buffer openApi;
  private final Uploads uploads;

  public HttpEndpoints(AnalysisService service) {
    this(service, new ReceivedRoutes(null));
  }

  /**
   * With its own client of the configured PACS.
   *
   * @param received {@code GET /v1/received[/{id}]}: the C-STORE listener's analyses
   */
  public HttpEndpoints(AnalysisService service, ReceivedRoutes received) {
    this(service, received, service == null ? null : SpoilsServer.dicomWeb(service));
  }

  /**
   * @param received {@code GET /v1/received[/{id}]}: the C-STORE listener's analyses
   * @param dicomWeb fetches the PACS studies that requests name
   */
  public HttpEndpoints(AnalysisService service, ReceivedRoutes received,
      DicomWebClient dicomWeb) {
    this(service, received, dicomWeb, Uploads.defaults());
  }

  /** @param uploads the limits on request bodies still arriving, shared with gRPC */
  HttpEndpoints(AnalysisService service, ReceivedRoutes received, DicomWebClient dicomWeb,
      Uploads uploads) {
    this.service = service;
    this.uploads = uploads;
    this.dicomWeb = dicomWeb;
    this.openApi = openApi();
    // Prefer: respond-async answers 202 and keeps the analysis for GET /v1/analyses/{id}/...
    RecentAnalyses recent = new RecentAnalyses(RetentionOptions.fromEnvironment(System.getenv()));
    routes.put(ANALYZE, req -> {
      if (SubmittedAnalysis.wanted(req)) {
        new SubmittedAnalysis(service, req, recent, uploads, this.dicomWeb).start();
      } else {
        new HttpAnalysis(service, req, this).start();
      }
    });
    routes.put(new Route(HttpMethod.GET, "/v1/models"), req -> json(req.response(), 200,
        print(ProtoEncoder.models(service.models()))));
    routes.put(new Route(HttpMethod.GET, "/v1/openapi.json"), req -> req.response()
        .setStatusCode(200).putHeader("Content-Type", "application/json").end(openApi));
    routes.put(new Route(HttpMethod.GET, "/health/live"), req -> json(req.response(), 200,
        new JsonObject().put("status", "UP").encode()));
    routes.put(new Route(HttpMethod.GET, "/health/ready"), req -> ready(req.response()));
    // the registry is in memory: rendering it is short CPU work, fine on the event loop
    routes.put(new Route(HttpMethod.GET, "/metrics"), req -> req.response().setStatusCode(200)
        .putHeader("Content-Type", io.spoils.gateway.metrics.GatewayMetrics.contentType())
        .end(service.metrics().scrape()));
    routes.putAll(received.routes());
    routes.putAll(new RetainedRoutes(recent).routes());
    routes.putAll(new ViewerRoutes().routes());
  }

  /**
   * The parts a multipart body may have (Vert.x's {@code HttpServerOptions.maxFormFields}): the
   * study's file limit plus the form fields with headroom, so that {@link StudyUpload} refuses too
   * many files with its own clear reason before the decoder's generic limit is reached.
   */
  public static int maxFormFields(io.spoils.gateway.config.ServerOptions options) {
    return (int) Math.min(Integer.MAX_VALUE, (long) options.maxFiles() + 64);
  }

  /** Fetches the PACS studies that requests name. */
  DicomWebClient dicomWeb() {
    return dicomWeb;
  }

  /** The limits on request bodies still arriving. */
  Uploads uploads() {
    return uploads;
  }

  /** Every route served, in a stable order; paths may be templates ({@link Route#path()}). */
  public List<Route> routes() {
    return List.copyOf(routes.keySet());
  }

  @Override
  public void handle(HttpServerRequest req) {
    try {
      req.params(); // decoded once here: Vert.x throws on a malformed percent-escape
    } catch (IllegalArgumentException e) {
      problem(req.response(), 400, "Bad request", "the query string is not valid: a % must be "
          + "followed by two hexadecimal digits");
      return;
    }
    String path = req.path();
    Route exact = new Route(req.method(), path);
    if (routes.containsKey(exact)) {
      serve(exact, req);
      return;
    }
    List<Route> matching = routes.keySet().stream().filter(r -> r.matches(path)).toList();
    for (Route r : matching) {
      if (r.method().equals(req.method())) {
        serve(r, req);
        return;
      }
    }
    List<String> allowed = matching.stream().map(r -> r.method().name()).distinct().toList();
    if (allowed.isEmpty()) {
      problem(req.response(), 404, "Not found", "no route " + printable(path));
    } else {
      req.response().putHeader("Allow", String.join(", ", allowed));
      problem(req.response(), 405, "Method not allowed", req.method().name()
          + " is not allowed on " + printable(path) + "; allowed: " + String.join(", ", allowed));
    }
  }

  /**
   * Hands {@code req} to {@code route}'s handler. The API's other routes ({@code /v1/...} but
   * {@code POST /v1/analyses}, which checks its own parameters) take no query parameter: one
   * given is a 400 naming it rather than silently ignored. Health, metrics and the viewer's files
   * stay lenient for probes, scrapers and browsers.
   */
  private void serve(Route route, HttpServerRequest req) {
    if (route.path().startsWith("/v1/") && !route.equals(ANALYZE) && req.query() != null) {
      try {
        RequestChecks.knownParameters(RequestChecks.query(req).names(), Set.of());
      } catch (InvalidInputException e) {
        problem(req.response(), 400, FailureCode.INVALID_INPUT.title(), e.getMessage());
        return;
      }
    }
    routes.get(route).handle(req);
  }

  private static Buffer openApi() {
    try (InputStream in = HttpEndpoints.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + OPENAPI_RESOURCE + " is missing");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + OPENAPI_RESOURCE, e);
    }
  }

  /** At most 100 printable ASCII characters of a client string, for an error message. */
  private static String printable(String s) {
    String cut = s.length() > 100 ? s.substring(0, 100) + "..." : s;
    return cut.replaceAll("[^\\x20-\\x7E]", "?");
  }

  private void ready(HttpServerResponse response) {
    var ready = service.ready();
    if (ready.succeeded()) {
      json(response, 200, new JsonObject().put("status", "UP").encode());
    } else {
      String reason = service.drain().draining() ? "the server is shutting down"
          : service.warmingUp() ? "the server is warming up (studies through the pipeline, "
              + "SPOILS_WARMUP_STUDIES)"
          : ready.failed() ? "the inference backend is not ready (models failed to load, or "
              + "Triton is not ready)" : "the models are loading (or Triton's start-up check runs)";
      json(response, 503, new JsonObject().put("status", "DOWN").put("reason", reason).encode());
    }
  }

  String print(MessageOrBuilder message) {
    try {
      return printer.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print a message as JSON", e);
    }
  }

  /** An RFC 9457 problem body. */
  static JsonObject problemJson(int status, String title, String detail) {
    String slug = title.toLowerCase(Locale.ROOT).replace(' ', '-');
    return new JsonObject().put("type", "urn:spoils:problem:" + slug).put("title", title)
        .put("status", status).put("detail", detail);
  }

  static Future<Void> problem(HttpServerResponse response, int status, String title,
      String detail) {
    return response.setStatusCode(status).putHeader("Content-Type", PROBLEM)
        .end(problemJson(status, title, detail).encode());
  }

  /** The problem for a mapped failure, with Retry-After when retrying may help. */
  static Future<Void> problem(HttpServerResponse response, Failure m,
      int retryAfterSeconds) {
    if (m.http() == 429 || m.http() == 503) {
      response.putHeader("Retry-After", Integer.toString(retryAfterSeconds));
    }
    return problem(response, m.http(), m.title(), m.detail());
  }

  private static void json(HttpServerResponse response, int status, String body) {
    response.setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(Buffer.buffer(body));
  }
}
