package io.spoils.gateway.server;

import io.spoils.feature.InvalidInputException;
import io.spoils.proto.v1.AnalysisEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * One {@code POST /v1/analyses}: refuses early (busy, wrong type, too large) before reading the
 * body, reads it within the byte limit, then streams the events as NDJSON lines.
 */
final class HttpAnalysis {

  private final AnalysisService service;
  private final HttpServerRequest req;
  private final HttpServerResponse response;
  private final HttpEndpoints endpoints;
  private final Buffer body = Buffer.buffer();
  private boolean refused;
  private boolean started;

  HttpAnalysis(AnalysisService service, HttpServerRequest req, HttpEndpoints endpoints) {
    this.service = service;
    this.req = req;
    this.response = req.response();
    this.endpoints = endpoints;
  }

  void start() {
    long max = service.options().maxUploadBytes();
    String type = req.getHeader("Content-Type");
    if (service.admission().saturated()) {
      refuse(new Admission.AdmissionException("the server is busy; retry later"));
    } else if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/dicom")) {
      refuse(new InvalidInputException("the body must be one DICOM file with Content-Type "
          + "application/dicom"));
    } else if (contentLength() > max) {
      refuse(new ErrorMapping.RequestTooLargeException("the study is larger than this server's "
          + max + "-byte limit"));
    } else {
      req.handler(this::chunk);
      req.endHandler(v -> bodyDone());
    }
  }

  private long contentLength() {
    try {
      String v = req.getHeader("Content-Length");
      return v == null ? -1 : Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void chunk(Buffer data) {
    if (refused) {
      return;
    }
    if (body.length() + (long) data.length() > service.options().maxUploadBytes()) {
      refuse(new ErrorMapping.RequestTooLargeException("the study is larger than this server's "
          + service.options().maxUploadBytes() + "-byte limit"));
      return;
    }
    body.appendBuffer(data);
  }

  private void bodyDone() {
    if (refused) {
      return;
    }
    AnalysisService.Job job;
    try {
      job = new AnalysisService.Job(HttpEndpoints.request(req, body.getBytes()),
          HttpEndpoints.includeMask(req),
          io.spoils.gateway.pipeline.PipelineOptions.DEFAULT_MAX_CONTRIBUTIONS);
    } catch (RuntimeException e) {
      refuse(e);
      return;
    }
    QueuedWriter<Buffer> writer = new QueuedWriter<>(response);
    // a client that goes away stops the analysis at its next stage boundary
    var cancellation = new io.spoils.gateway.pipeline.Cancellation();
    response.closeHandler(v -> cancellation.cancel());
    service.analyze(job, io.spoils.gateway.pipeline.AnalysisControl.of(cancellation),
        e -> writer.write(line(e))).onComplete(ar -> {
      if (ar.succeeded()) {
        writer.finish(s -> response.end());
      } else if (!started) {
        refuse(ar.cause());
      } else {
        ErrorMapping.Mapped m = service.failed(ar.cause());
        JsonObject error = new JsonObject().put("error",
            HttpEndpoints.problemJson(m.http(), m.title(), m.detail()));
        writer.write(Buffer.buffer(error.encode() + "\n"));
        writer.finish(s -> response.end());
      }
    });
  }

  private Buffer line(AnalysisEvent event) {
    if (!started) {
      started = true;
      response.setStatusCode(200).setChunked(true).putHeader("Content-Type", HttpEndpoints.NDJSON);
    }
    return Buffer.buffer(endpoints.print(event) + "\n");
  }

  /** Answers a problem once; the rest of the body, if any, is dropped. */
  private void refuse(Throwable failure) {
    if (refused || response.ended()) {
      return;
    }
    refused = true;
    HttpEndpoints.problem(response, service.failed(failure),
        service.options().retryAfterSeconds());
  }
}
