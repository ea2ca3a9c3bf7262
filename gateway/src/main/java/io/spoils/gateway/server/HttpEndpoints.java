package io.spoils.gateway.server;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.spoils.feature.InvalidInputException;
import io.spoils.gateway.pipeline.AnalysisRequest;
import io.spoils.proto.v1.ListModelsResponse;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * The HTTP routes:
 * <ul>
 *   <li>{@code POST /v1/analyses}: body one DICOM file ({@code Content-Type: application/dicom}),
 *   query {@code odi} (0-100) and {@code nrs} (0-10), both or neither, optional
 *   {@code include_mask=true}; answers {@code application/x-ndjson}, one
 *   {@code spoils.v1.AnalysisEvent} (proto JSON mapping) per line, each written as it is ready. A
 *   failure before the first event is a problem JSON (RFC 9457) with its HTTP status; a failure
 *   after it ends the stream with a last line {@code {"error": {...problem...}}}.</li>
 *   <li>{@code GET /v1/models}: {@code spoils.v1.ListModelsResponse} as JSON.</li>
 *   <li>{@code GET /health/live}: 200 while the process serves; {@code GET /health/ready}: 200 once
 *   the models are loaded, else 503.</li>
 *   <li>{@code GET /metrics}: the Prometheus text exposition of
 *   {@link io.spoils.gateway.metrics.GatewayMetrics}.</li>
 *   <li>{@code GET /v1/received}, {@code GET /v1/received/{id}}: analyses of series received by
 *   the C-STORE listener ({@link io.spoils.gateway.ingest.ReceivedRoutes}).</li>
 * </ul>
 */
public final class HttpEndpoints implements Handler<HttpServerRequest> {

  static final String NDJSON = "application/x-ndjson";
  static final String PROBLEM = "application/problem+json";

  private final AnalysisService service;
  private final io.spoils.gateway.ingest.ReceivedRoutes received;
  private final JsonFormat.Printer printer = JsonFormat.printer().omittingInsignificantWhitespace();

  public HttpEndpoints(AnalysisService service) {
    this(service, new io.spoils.gateway.ingest.ReceivedRoutes(null));
  }

  /** @param received {@code GET /v1/received[/{id}]}: the C-STORE listener's analyses */
  public HttpEndpoints(AnalysisService service, io.spoils.gateway.ingest.ReceivedRoutes received) {
    this.service = service;
    this.received = received;
  }

  @Override
  public void handle(HttpServerRequest req) {
    String path = req.path();
    HttpMethod method = req.method();
    if (received.handle(req)) {
      return;
    } else if (path.equals("/v1/analyses") && method == HttpMethod.POST) {
      new HttpAnalysis(service, req, this).start();
    } else if (path.equals("/v1/models") && method == HttpMethod.GET) {
      json(req.response(), 200, print(ListModelsResponse.newBuilder()
          .addAllModels(service.models()).build()));
    } else if (path.equals("/health/live") && method == HttpMethod.GET) {
      json(req.response(), 200, new JsonObject().put("status", "UP").encode());
    } else if (path.equals("/health/ready") && method == HttpMethod.GET) {
      ready(req.response());
    } else if (path.equals("/metrics") && method == HttpMethod.GET) {
      // the registry is in memory: rendering it is short CPU work, fine on the event loop
      req.response().setStatusCode(200)
          .putHeader("Content-Type", io.spoils.gateway.metrics.GatewayMetrics.contentType())
          .end(service.metrics().scrape());
    } else if (List.of("/v1/analyses", "/v1/models", "/health/live", "/health/ready", "/metrics")
        .contains(path)) {
      problem(req.response(), 405, "Method not allowed", method + " is not allowed on " + path);
    } else {
      problem(req.response(), 404, "Not found", "no route " + path);
    }
  }

  private void ready(HttpServerResponse response) {
    var ready = service.ready();
    if (ready.succeeded()) {
      json(response, 200, new JsonObject().put("status", "UP").encode());
    } else {
      String reason = ready.failed() ? "the models failed to load" : "the models are loading";
      json(response, 503, new JsonObject().put("status", "DOWN").put("reason", reason).encode());
    }
  }

  /** The query's scores as a request (body not read yet: the caller fills the files). */
  static AnalysisRequest request(HttpServerRequest req, byte[] body) {
    Double odi = RequestChecks.number("odi", req.getParam("odi"));
    Integer nrs = RequestChecks.integer("nrs", req.getParam("nrs"));
    return new AnalysisRequest(List.of(new AnalysisRequest.DicomInput("body", body)),
        RequestChecks.scores(odi, nrs));
  }

  static boolean includeMask(HttpServerRequest req) {
    String v = req.getParam("include_mask");
    if (v == null || v.equalsIgnoreCase("false")) {
      return false;
    }
    if (v.equalsIgnoreCase("true")) {
      return true;
    }
    throw new InvalidInputException("include_mask must be true or false");
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

  static void problem(HttpServerResponse response, int status, String title, String detail) {
    response.setStatusCode(status).putHeader("Content-Type", PROBLEM)
        .end(problemJson(status, title, detail).encode());
  }

  /** The problem for a mapped failure, with Retry-After when retrying may help. */
  static void problem(HttpServerResponse response, ErrorMapping.Mapped m, int retryAfterSeconds) {
    if (m.http() == 429 || m.http() == 503) {
      response.putHeader("Retry-After", Integer.toString(retryAfterSeconds));
    }
    problem(response, m.http(), m.title(), m.detail());
  }

  private static void json(HttpServerResponse response, int status, String body) {
    response.setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(Buffer.buffer(body));
  }
}
