package io.spoils.gateway.server;

import io.spoils.feature.InvalidInputException;
import io.spoils.gateway.failure.Failure;
import io.spoils.gateway.ingest.DicomWebClient;
import io.spoils.gateway.ingest.DicomWebJson;
import io.spoils.gateway.pipeline.AnalysisRequest;
import io.spoils.gateway.pipeline.AnalysisControl;
import io.spoils.gateway.pipeline.Cancellation;
import io.spoils.gateway.service.AnalysisService;
import io.spoils.gateway.service.Job;
import io.spoils.gateway.service.StudySource;
import io.spoils.gateway.viewer.RecentAnalyses;
import io.spoils.gateway.viewer.RetainedAnalysis;
import io.spoils.gateway.viewer.Submission;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Optional;

/**
 * One {@code POST /v1/analyses} with {@code Prefer: respond-async} (RFC 7240): the study is
 * received as for a streamed analysis (one DICOM file, a multipart series or a DICOMweb study
 * reference naming a study on a configured PACS, the same parameters and limits), and once the analysis is admitted and has its id the answer is {@code 202
 * Accepted} with {@code Location: /v1/analyses/{id}} and {@code {"id", "status", "events",
 * "slice", "labels"}} (the URLs of {@link RetainedRoutes}); the analysis then runs on without the
 * request, its events and images kept in {@link RecentAnalyses}. A refusal before that (busy,
 * wrong type, too large, bad parameters, body too slow) is a problem JSON with its status, as for
 * a streamed analysis; a failure after it ends the kept analysis (its event stream ends with an
 * error). The client going away before the 202 cancels the analysis; after it, nothing does.
 */
final class SubmittedAnalysis {

  private final AnalysisService service;
  private final HttpServerRequest req;
  private final HttpServerResponse response;
  private final RecentAnalyses store;
  private final Vertx vertx;
  private final Uploads uploads;
  /** The study's share of the upload budget, until its analysis ends. */
  private final UploadBudget.Hold hold;
  private final DicomWebClient dicomWeb;
  private Job job;
  /** The study a PACS reference loaded, once loaded (the slice PNG is drawn from it). */
  private AnalysisRequest loaded;
  private boolean answered;

  /** @param dicomWeb fetches the PACS study a JSON reference names */
  SubmittedAnalysis(AnalysisService service, HttpServerRequest req, RecentAnalyses store,
      Uploads uploads, DicomWebClient dicomWeb) {
    this.service = service;
    this.uploads = uploads;
    this.hold = uploads.budget().hold();
    this.dicomWeb = dicomWeb;
    this.req = req;
    this.response = req.response();
    this.store = store;
    this.vertx = Vertx.currentContext().owner();
  }

  /** Whether {@code req} asks for an asynchronous answer ({@code Prefer: respond-async}). */
  static boolean wanted(HttpServerRequest req) {
    for (String prefer : req.headers().getAll("Prefer")) {
      for (String token : prefer.split(",")) {
        if (token.split(";")[0].trim().toLowerCase(Locale.ROOT).equals("respond-async")) {
          return true;
        }
      }
    }
    return false;
  }

  void start() {
    Cancellation cancellation = new Cancellation();
    response.closeHandler(v -> {
      if (!answered) {
        cancellation.cancel();
      }
    });
    AnalysisControl control = AnalysisControl.of(cancellation);
    Future<Job> received;
    try {
      RequestChecks.knownParameters(RequestChecks.query(req).names(), StudyUpload.FIELDS);
      if (service.admission().saturated()) {
        throw AnalysisService.busy();
      }
      received = RequestArrival.bounded(vertx, receive().map(this::job),
          RequestArrival.waitMillis(service, control), cancellation, "body",
          uploads.pace(vertx, req, null));
    } catch (RuntimeException e) {
      refuse(e);
      return;
    }
    if ("100-continue".equalsIgnoreCase(req.getHeader("Expect"))) {
      response.writeContinue(); // the headers passed: the client may send the body
    }
    Submission submission = new Submission(store, vertx, this::study,
        () -> job.includeMask(), this::accepted);
    service.analyze(received.map(this::withMasks), control, System.nanoTime(),
        () -> CallerHeaders.caller(req.headers(), "POST /v1/analyses (async)"), submission,
        submission::add).onComplete(ar -> {
          hold.release();
          if (submission.analysis().isPresent()) {
            submission.finish(ar.succeeded() ? Optional.empty()
                : Optional.of(service.failed(ar.cause())));
          } else if (ar.failed()) {
            refuse(ar.cause());
          }
        });
  }

  /**
   * The study's files and parameters, or a DICOMweb study reference, checked as for a streamed
   * analysis.
   */
  private Future<StudyUpload.Received> receive() {
    String type = req.getHeader("Content-Type");
    String mediaType = type == null ? "" : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
    long max = service.options().maxUploadBytes();
    if (DicomWebJson.accepts(type)) {
      return StudyUpload.dicom(req, HttpAnalysis.MAX_REFERENCE_BYTES, hold);
    }
    if (mediaType.equals("multipart/form-data")) {
      return StudyUpload.multipart(req, max, service.options().maxFiles(), hold);
    }
    if (!mediaType.equals("application/dicom")) {
      throw new InvalidInputException("unsupported Content-Type '"
          + (type == null ? "none" : mediaType.replaceAll("[^\\x20-\\x7E]", "?"))
          + "': send one DICOM file as application/dicom, a series as multipart/form-data, or a "
          + "DICOMweb study reference as application/json");
    }
    return StudyUpload.dicom(req, max, hold);
  }

  private Job job(StudyUpload.Received received) {
    job = DicomWebJson.accepts(req.getHeader("Content-Type"))
        ? HttpAnalysis.reference(req, dicomWeb, received) : HttpAnalysis.job(req, received);
    return job;
  }

  /**
   * The job with masks (the label map the viewer overlays comes from them); a PACS study keeps
   * what it loaded, for the slice PNG.
   */
  private Job withMasks(Job j) {
    Optional<StudySource> source = j.source().map(s -> deadline -> s.load(deadline)
        .onSuccess(request -> loaded = request));
    return new Job(j.request(), true, j.maxContributions(), source, j.computeVolume(),
        j.storeResults());
  }

  /** The analysed study: the request's, or the one a PACS reference loaded. */
  private AnalysisRequest study() {
    return job.request() != null ? job.request() : loaded;
  }

  /** 202 with where to follow the analysis; called when the service opens it. */
  private void accepted(RetainedAnalysis analysis) {
    if (answered || response.ended()) {
      return;
    }
    answered = true;
    String base = "/v1/analyses/" + analysis.id();
    JsonObject body = new JsonObject().put("id", analysis.id())
        .put("status", base).put("events", base + "/events")
        .put("slice", base + "/slice.png").put("labels", base + "/labels.png");
    response.setStatusCode(202).putHeader("Location", base)
        .putHeader("Preference-Applied", "respond-async")
        .putHeader("Content-Type", "application/json").end(body.encode());
  }

  /** Answers a problem once; a body still arriving is drained a while, as a streamed one's. */
  private void refuse(Throwable failure) {
    if (answered || response.ended()) {
      return;
    }
    answered = true;
    boolean unread = !req.isEnded();
    Failure m = service.failed(failure);
    HttpEndpoints.problem(response, m, service.options().retryAfterSeconds());
    if (unread) {
      HttpAnalysis.linger(vertx, req);
    }
  }
}
