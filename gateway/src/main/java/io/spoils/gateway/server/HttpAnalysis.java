package io.spoils.gateway.server;

import io.spoils.feature.InvalidInputException;
import io.spoils.gateway.api.ProtoEncoder;
import io.spoils.gateway.failure.Failure;
import io.spoils.gateway.ingest.DicomWebClient;
import io.spoils.gateway.ingest.DicomWebJson;
import io.spoils.gateway.pipeline.AnalysisControl;
import io.spoils.gateway.pipeline.AnalysisRequest;
import io.spoils.gateway.pipeline.Cancellation;
import io.spoils.gateway.service.AnalysisService;
import io.spoils.gateway.service.Job;
import io.spoils.proto.v1.AnalysisEvent;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One {@code POST /v1/analyses}: negotiates the event format ({@link EventFormat}), refuses early
 * (busy, wrong type, declared too large) before reading the body, receives the study within the
 * limits ({@link StudyUpload}), then streams the events as NDJSON lines or Server-Sent Events.
 * The status line is sent once the segmentation has found the spine (the accepted event waits
 * for it, some tens of ms), so that every bad-input failure is a 400 problem; later failures
 * (backend, deadline) end the 200 stream with an error line or event.
 *
 * <p>A refusal while the body is still arriving answers at once and then stops reading: the rest
 * is discarded (never buffered) for at most {@link #LINGER_MS} ms or {@link #LINGER_BYTES} bytes,
 * so that the client sees the answer rather than a reset, and then the connection (HTTP/1.x) or
 * stream (HTTP/2) is closed.
 */
final class HttpAnalysis {

  /** How long a refused request's remaining body is discarded before closing, ms. */
  static final long LINGER_MS = 2000;
  /** How many bytes of a refused request's remaining body are discarded before closing. */
  static final long LINGER_BYTES = 4L * 1024 * 1024;
  /** Bytes a multipart body may add to the files (boundaries, part headers, form fields). */
  private static final long MULTIPART_OVERHEAD = 256L * 1024;
  /** Bytes of an {@code application/json} DICOMweb study reference. */
  static final long MAX_REFERENCE_BYTES = 64L * 1024;

  private final AnalysisService service;
  private final HttpServerRequest req;
  private final HttpServerResponse response;
  private final HttpEndpoints endpoints;
  private final Vertx vertx;
  /** The study's share of the upload budget, from its first byte to the end of its analysis. */
  private final UploadBudget.Hold hold;
  private EventFormat format = EventFormat.NDJSON;
  private final List<AnalysisEvent> held = new ArrayList<>();
  private boolean refused;
  private boolean started;
  /** The analysis has ended (its result is known): later events are dropped. */
  private boolean finished;

  HttpAnalysis(AnalysisService service, HttpServerRequest req, HttpEndpoints endpoints) {
    this.service = service;
    this.req = req;
    this.response = req.response();
    this.endpoints = endpoints;
    this.vertx = Vertx.currentContext().owner();
    this.hold = endpoints.uploads().budget().hold();
  }

  /**
   * Checks the headers and decides admission from them (refused at once when the server is full;
   * an admitted study counts against the limits while its body arrives, and takes its analysis
   * slot once the body is in), then receives the body: within the server's timeout, at the
   * minimum upload rate and within the upload budget.
   */
  void start() {
    Future<StudyUpload.Received> upload;
    try {
      format = EventFormat.negotiate(req.getHeader("Accept"));
      RequestChecks.knownParameters(RequestChecks.query(req).names(), StudyUpload.FIELDS);
      if (service.admission().saturated()) {
        throw AnalysisService.busy();
      }
      upload = receive();
    } catch (RuntimeException e) {
      refuse(e);
      return;
    }
    run(upload.map(this::job));
    if (!refused && "100-continue".equalsIgnoreCase(req.getHeader("Expect"))) {
      response.writeContinue();
    }
  }

  /** The job from what was received: a DICOMweb study reference, or files and parameters. */
  private Job job(StudyUpload.Received received) {
    return DicomWebJson.accepts(req.getHeader("Content-Type"))
        ? reference(req, endpoints.dicomWeb(), received) : job(req, received);
  }

  /**
   * The job for a DICOMweb study reference ({@code application/json}, {@link DicomWebJson}): the
   * study and the scores from the body, the other parameters from the query. Scores in the query
   * are refused rather than ignored.
   */
  static Job reference(HttpServerRequest req, DicomWebClient dicomWeb,
      StudyUpload.Received received) {
    MultiMap query = req.params();
    if (query.contains("odi") || query.contains("nrs")) {
      throw new InvalidInputException("with a JSON study reference give odi and nrs in the JSON "
          + "body, not as query parameters");
    }
    String contributions = parameter("max_contributions", query, received.form());
    Job reference = DicomWebJson.job(dicomWeb, Buffer.buffer(received.files().get(0).content()),
        RequestChecks.bool("include_mask", parameter("include_mask", query, received.form())),
        RequestChecks.contributions(contributions == null ? 0
            : RequestChecks.integer("max_contributions", contributions)));
    return reference.withComputeVolume(RequestChecks.bool("compute_volume",
            parameter("compute_volume", query, received.form())))
        .withStoreResults(RequestChecks.bool("store_results",
            parameter("store_results", query, received.form())));
  }

  /** Starts receiving the body after the checks that need only the headers. */
  private Future<StudyUpload.Received> receive() {
    long max = service.options().maxUploadBytes();
    String type = req.getHeader("Content-Type");
    String mediaType = type == null ? "" : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
    boolean multipart = mediaType.equals("multipart/form-data");
    if (DicomWebJson.accepts(type)) {
      // a study reference, not a study: small, and read whole before it is parsed
      return StudyUpload.dicom(req, MAX_REFERENCE_BYTES, hold);
    }
    if (!multipart && !mediaType.equals("application/dicom")) {
      throw new InvalidInputException("unsupported Content-Type '"
          + (type == null ? "none" : mediaType.replaceAll("[^\\x20-\\x7E]", "?"))
          + "': send one DICOM file as application/dicom, a series as multipart/form-data, or a "
          + "DICOMweb study reference as application/json");
    }
    if (contentLength() > max + (multipart ? MULTIPART_OVERHEAD : 0)) {
      RequestChecks.bytes(contentLength(), max);
    }
    return multipart ? StudyUpload.multipart(req, max, service.options().maxFiles(), hold)
        : StudyUpload.dicom(req, max, hold);
  }

  private long contentLength() {
    try {
      String v = req.getHeader("Content-Length");
      return v == null ? -1 : Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The job from the files and the parameters, each from the query or a form field. */
  static Job job(HttpServerRequest req, StudyUpload.Received upload) {
    MultiMap query = req.params();
    MultiMap form = upload.form();
    Double odi = RequestChecks.number("odi", parameter("odi", query, form));
    Integer nrs = RequestChecks.integer("nrs", parameter("nrs", query, form));
    String contributions = parameter("max_contributions", query, form);
    int maxContributions = RequestChecks.contributions(contributions == null ? 0
        : RequestChecks.integer("max_contributions", contributions));
    return new Job(new AnalysisRequest(upload.files(),
        RequestChecks.scores(odi, nrs),
        RequestChecks.bool("compute_volume", parameter("compute_volume", query, form))),
        RequestChecks.bool("include_mask", parameter("include_mask", query, form)),
        maxContributions).withStoreResults(
            RequestChecks.bool("store_results", parameter("store_results", query, form)));
  }

  /** A parameter given at most once, in the query or the form; null when absent. */
  private static String parameter(String name, MultiMap query, MultiMap form) {
    List<String> values = new ArrayList<>(query.getAll(name));
    values.addAll(form.getAll(name));
    if (values.size() > 1) {
      throw new InvalidInputException(name + " is given " + values.size() + " times; give it "
          + "once, as a query parameter or a form field");
    }
    return values.isEmpty() ? null : values.get(0);
  }

  private void run(Future<Job> received) {
    QueuedWriter<Buffer> writer = new QueuedWriter<>(response);
    // a client that goes away stops the analysis at its next stage boundary, or its upload
    Cancellation cancellation = new Cancellation();
    response.closeHandler(v -> cancellation.cancel());
    AnalysisControl control = AnalysisControl.of(cancellation);
    Future<Job> job = RequestArrival.bounded(vertx, received,
        RequestArrival.waitMillis(service, control), cancellation, "body",
        endpoints.uploads().pace(vertx, req, null));
    service.analyze(job, control, System.nanoTime(),
        () -> CallerHeaders.caller(req.headers(), "POST /v1/analyses"), ProtoEncoder.FORMAT,
        e -> event(writer, e)).onComplete(ar -> {
          finished = true;
          hold.release();
          if (ar.succeeded()) {
            commit(writer);
            writer.finish(s -> response.end());
          } else if (!started) {
            refuse(ar.cause());
          } else {
            Failure m = service.failed(ar.cause());
            writer.write(format.error(HttpEndpoints.problemJson(m.http(), m.title(), m.detail())));
            writer.finish(s -> response.end());
          }
        });
  }

  /**
   * Holds the events before the segmentation (accepted, warnings) until the segmentation has found
   * a spine: up to there an analysis can still fail for bad input (no spine found), and that
   * failure should be a 400 problem, not an error at the end of a 200 stream.
   */
  private void event(QueuedWriter<Buffer> writer, AnalysisEvent event) {
    if (finished) {
      // cut off (drain timeout) or failed: the stream has its last line
      return;
    }
    if (!started && (event.hasAccepted() || event.hasWarning())) {
      held.add(event);
      return;
    }
    commit(writer);
    writer.write(format.event(event, endpoints.print(event)));
  }

  /** Sends the status and headers, then the held events (once). */
  private void commit(QueuedWriter<Buffer> writer) {
    if (started) {
      return;
    }
    started = true;
    response.setStatusCode(200).setChunked(true).putHeader("Content-Type", format.mediaType());
    if (format == EventFormat.SSE) {
      // proxies must pass each event on at once rather than buffer the response
      response.putHeader("Cache-Control", "no-cache").putHeader("X-Accel-Buffering", "no");
    }
    held.forEach(e -> writer.write(format.event(e, endpoints.print(e))));
    held.clear();
  }

  /** Answers a problem once; a body still arriving is discarded, then the connection closed. */
  private void refuse(Throwable failure) {
    if (refused || response.ended()) {
      return;
    }
    refused = true;
    boolean unread = !req.isEnded();
    HttpEndpoints.problem(response, service.failed(failure),
        service.options().retryAfterSeconds());
    if (unread) {
      linger(vertx, req);
    }
  }

  /**
   * Reads and drops the rest of a refused request's body, for at most {@link #LINGER_MS} ms or
   * {@link #LINGER_BYTES} bytes, then closes the connection (HTTP/1) or stream (HTTP/2) if the body
   * has not ended. The answer says no {@code Connection: close}: Vert.x would close at once, and a
   * close with the body still unread resets the connection, which makes the client drop the
   * answer it has received.
   */
  static void linger(Vertx vertx, HttpServerRequest req) {
    long start = req.bytesRead();
    long timer = vertx.setTimer(LINGER_MS, t -> close(req));
    req.exceptionHandler(e -> { });
    req.handler(chunk -> {
      if (req.bytesRead() - start > LINGER_BYTES) {
        close(req);
      }
    });
    req.endHandler(v -> vertx.cancelTimer(timer));
  }

  private static void close(HttpServerRequest req) {
    HttpServerResponse response = req.response();
    if (req.isEnded()) {
      return;
    }
    if (req.version() == HttpVersion.HTTP_2) {
      response.reset(0x8); // CANCEL: the client stops sending the body
    } else {
      req.connection().close();
    }
  }
}
