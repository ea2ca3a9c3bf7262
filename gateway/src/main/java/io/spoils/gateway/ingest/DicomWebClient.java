package io.spoils.gateway.ingest;

import io.spoils.feature.InvalidInputException;
import io.spoils.gateway.backend.Deadline;
import io.spoils.gateway.config.PacsOptions;
import io.spoils.gateway.pipeline.AnalysisRequest;
import io.spoils.gateway.service.StudySource;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.spoils.gateway.security.PacsHttp;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Fetches studies from configured DICOMweb PACS with WADO-RS ({@code GET {url}/studies/{study}}
 * or {@code .../series/{series}}, {@code Accept: multipart/related; type="application/dicom"}),
 * non-blocking on Vert.x's HTTP client. The response is parsed while it arrives
 * ({@link MultipartRelated}); crossing the byte or file limit, or the deadline, resets the request
 * at once, so the gateway stops reading. Failures: {@link InvalidInputException} for an unknown
 * PACS name, {@link PacsException} for the PACS's side, {@code FailureCode.TOO_LARGE} for
 * limits.
 * Thread-safe.
 */
public final class DicomWebClient {

  static final String ACCEPT = "multipart/related; type=\"application/dicom\"";

  private final Vertx vertx;
  private final Map<String, PacsOptions> pacs;
  private final long maxBytes;
  private final int maxFiles;
  /** One client per PACS (each trusts its own CA file); none on servers without a PACS. */
  private final Map<String, HttpClientAgent> http;

  /**
   * @param pacs the PACS clients may name
   * @param maxBytes bytes of one study (all instances together) at most
   * @param maxFiles instances of one study at most
   */
  public DicomWebClient(Vertx vertx, Map<String, PacsOptions> pacs, long maxBytes, int maxFiles) {
    this.vertx = vertx;
    this.pacs = Map.copyOf(pacs);
    this.maxBytes = maxBytes;
    this.maxFiles = maxFiles;
    // no client (and no pool) on servers without a PACS: fetch fails on the name first
    Map<String, HttpClientAgent> clients = new java.util.HashMap<>();
    this.pacs.forEach((name, o) -> clients.put(name, PacsHttp.client(vertx, o)));
    this.http = Map.copyOf(clients);
  }

  /**
   * The configuration of {@code name}.
   *
   * @throws InvalidInputException naming the configured PACS when there is no such PACS
   */
  public PacsOptions pacs(String name) {
    PacsOptions options = pacs.get(name);
    if (options == null) {
      throw new InvalidInputException(pacs.isEmpty()
          ? "no PACS is configured on this server: send the files"
          : "unknown PACS \"" + printable(name) + "\"; this server knows "
              + String.join(", ", new TreeSet<>(pacs.keySet())));
    }
    return options;
  }

  /**
   * The configured PACS a request names: {@code name} itself, or, when the request names none
   * ({@code null} or empty), the server's only PACS, so that clients of a server with one PACS
   * (the web viewer among them) need not know its name.
   *
   * @throws InvalidInputException naming the configured PACS when {@code name} is unknown, or is
   *     empty on a server with several
   */
  public String named(String name) {
    if (name != null && !name.isEmpty()) {
      pacs(name);
      return name;
    }
    if (pacs.size() == 1) {
      return pacs.keySet().iterator().next();
    }
    throw new InvalidInputException(pacs.isEmpty()
        ? "no PACS is configured on this server: send the files"
        : "the study names no PACS; this server knows "
            + String.join(", ", new TreeSet<>(pacs.keySet())));
  }

  private static String printable(String name) {
    String cut = name.length() > 32 ? name.substring(0, 32) + "..." : name;
    return cut.replaceAll("[^A-Za-z0-9_.-]", "?");
  }

  /**
   * The study's instances, named {@code instance 1}, {@code instance 2}, ... in the order the PACS
   * sent them.
   *
   * @param deadline when the fetch fails with DEADLINE_EXCEEDED; the PACS's own
   *     {@code timeoutSeconds} may end it sooner
   */
  public Future<List<AnalysisRequest.DicomInput>> fetch(PacsStudy study, Deadline deadline) {
    PacsOptions options;
    try {
      options = pacs(study.pacs());
    } catch (InvalidInputException e) {
      return Future.failedFuture(e);
    }
    Duration own = Duration.ofMillis(Math.round(options.timeoutSeconds() * 1000));
    Deadline effective = own.compareTo(deadline.remaining()) < 0 ? Deadline.after(own) : deadline;
    return new Fetch(study, options, effective).start();
  }

  /** {@code study} as a source of an analysis: fetched, then paired with its scores. */
  public StudySource source(PacsStudy study) {
    return deadline -> fetch(study, deadline).map(study::withFiles);
  }

  /** Closes the HTTP client's connections. */
  public Future<Void> close() {
    return Future.all(http.values().stream().map(HttpClientAgent::close).toList()).mapEmpty();
  }

  /** One fetch: its request, its deadline timer and its parser. Runs on the caller's context. */
  private final class Fetch {
    private final PacsStudy study;
    private final PacsOptions options;
    private final Deadline deadline;
    private final Promise<List<AnalysisRequest.DicomInput>> result = Promise.promise();
    private HttpClientRequest request;

    Fetch(PacsStudy study, PacsOptions options, Deadline deadline) {
      this.study = study;
      this.options = options;
      this.deadline = deadline;
    }

    Future<List<AnalysisRequest.DicomInput>> start() {
      long ms = deadline.remaining().toMillis();
      if (ms <= 0) {
        fail(timedOut());
        return result.future();
      }
      long timer = vertx.setTimer(ms, id -> fail(timedOut()));
      RequestOptions ro = new RequestOptions().setMethod(HttpMethod.GET)
          .setAbsoluteURI(options.url() + study.path()).setConnectTimeout(ms)
          .putHeader("Accept", ACCEPT);
      PacsHttp.authorization(vertx, options).onFailure(e -> fail(new PacsException(
          PacsException.Status.UNAVAILABLE, "PACS " + study.pacs() + ": " + e.getMessage())))
          .onSuccess(auth -> {
            auth.ifPresent(a -> ro.putHeader("Authorization", a));
            send(ro);
          });
      return result.future().andThen(ar -> vertx.cancelTimer(timer));
    }

    private void send(RequestOptions ro) {
      if (result.future().isComplete()) {
        return;
      }
      http.get(study.pacs()).request(ro).onComplete(ar -> {
        if (ar.failed()) {
          fail(unreachable());
        } else if (!sent(ar.result())) {
          ar.result().reset();
        }
      });
    }

    /** Sends {@code req} unless the fetch already ended (deadline); whether it was sent. */
    private boolean sent(HttpClientRequest req) {
      if (result.future().isComplete()) {
        return false;
      }
      request = req;
      // fail() resets the request; its own reset must not surface as an unhandled error
      req.exceptionHandler(e -> fail(unreachable()));
      req.send().onComplete(ar -> {
        if (ar.failed()) {
          fail(unreachable());
        } else {
          response(ar.result());
        }
      });
      return true;
    }

    private void response(HttpClientResponse response) {
      response.exceptionHandler(e -> fail(new PacsException(PacsException.Status.UNAVAILABLE,
          "the connection to PACS " + study.pacs() + " broke while receiving the "
              + study.what())));
      if (response.statusCode() != 200) {
        fail(status(response.statusCode()));
        return;
      }
      MultipartRelated parser;
      try {
        parser = new MultipartRelated(MultipartRelated.boundary(response.getHeader("Content-Type")),
            maxBytes, maxFiles);
      } catch (MultipartRelated.MalformedException e) {
        fail(badResponse(e));
        return;
      }
      response.handler(buffer -> feed(parser, buffer));
      response.endHandler(v -> end(parser));
    }

    private void feed(MultipartRelated parser, Buffer buffer) {
      if (result.future().isComplete()) {
        return;
      }
      try {
        parser.feed(buffer.getBytes());
      } catch (MultipartRelated.MalformedException e) {
        fail(badResponse(e));
      } catch (RuntimeException e) {
        fail(e);
      }
    }

    private void end(MultipartRelated parser) {
      if (result.future().isComplete()) {
        return;
      }
      List<MultipartRelated.Part> parts;
      try {
        parts = parser.finish();
      } catch (MultipartRelated.MalformedException e) {
        fail(badResponse(e));
        return;
      }
      if (parts.isEmpty()) {
        fail(new PacsException(PacsException.Status.NOT_FOUND, "PACS " + study.pacs()
            + " returned no instances for the " + study.what()));
        return;
      }
      List<AnalysisRequest.DicomInput> files = new ArrayList<>(parts.size());
      for (int i = 0; i < parts.size(); i++) {
        files.add(new AnalysisRequest.DicomInput("instance " + (i + 1), parts.get(i).content()));
      }
      result.tryComplete(files);
    }

    /** Ends the fetch with {@code failure} (first one wins) and stops the transfer. */
    private void fail(Throwable failure) {
      if (result.tryFail(failure) && request != null) {
        request.reset();
      }
    }

    private PacsException timedOut() {
      return new PacsException(PacsException.Status.DEADLINE_EXCEEDED, "PACS " + study.pacs()
          + " did not deliver the " + study.what() + " before the deadline");
    }

    private PacsException unreachable() {
      return new PacsException(PacsException.Status.UNAVAILABLE, "PACS " + study.pacs()
          + " is unreachable");
    }

    private PacsException badResponse(MultipartRelated.MalformedException e) {
      return new PacsException(PacsException.Status.BAD_RESPONSE, "PACS " + study.pacs()
          + " sent a malformed response: " + e.getMessage());
    }

    private PacsException status(int code) {
      String pacsName = "PACS " + study.pacs();
      return switch (code) {
        case 404, 204 -> new PacsException(PacsException.Status.NOT_FOUND,
            study.what() + " not found in " + pacsName);
        case 401, 403 -> new PacsException(PacsException.Status.UNAVAILABLE,
            pacsName + " refused the gateway's credentials (HTTP " + code + ")");
        default -> new PacsException(code >= 500 ? PacsException.Status.UNAVAILABLE
            : PacsException.Status.BAD_RESPONSE, pacsName + " answered HTTP " + code);
      };
    }
  }
}
