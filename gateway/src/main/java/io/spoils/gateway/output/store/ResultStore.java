package io.spoils.gateway.output.store;

import io.spoils.gateway.backend.Deadline;
import io.spoils.gateway.config.IngestOptions;
import io.spoils.gateway.config.StoreOptions;
import io.spoils.gateway.security.PacsHttp;
import io.spoils.gateway.pipeline.AnalysisRequest;
import io.spoils.gateway.pipeline.PipelineEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends an analysis' DICOM SR and SEG ({@link ResultObjects}) to every configured destination
 * ({@link StoreOptions}: STOW-RS and/or C-STORE), each retried with backoff ({@link Retry}), all
 * bounded by one deadline ({@link StoreOptions#timeoutSeconds()}), and answers the outcome as a
 * warning: {@value #STORED} when every destination took both objects, else {@value #NOT_STORED}
 * with each reason. Never fails: a store problem never fails the analysis. The objects are built on
 * a worker thread; sending never blocks the event loop. Logs name destinations and reasons only,
 * no identifiers. Thread-safe.
 */
public final class ResultStore {

  /** Warning code: every destination stored the SR and SEG. */
  public static final String STORED = "RESULTS_STORED";
  /** Warning code: at least one destination did not; the message says why. */
  public static final String NOT_STORED = "RESULTS_NOT_STORED";
  private static final Logger LOG = Logger.getLogger(ResultStore.class.getName());

  private final Vertx vertx;
  private final List<StoreDestination> destinations;
  private final Retry retry;
  private final Duration timeout;

  /**
   * @param destinations where to send, at least one
   * @param retry how each destination is retried
   * @param timeout the deadline of one analysis' store, from the start of {@link #store}
   */
  public ResultStore(Vertx vertx, List<StoreDestination> destinations, Retry retry,
      Duration timeout) {
    if (destinations.isEmpty()) {
      throw new IllegalArgumentException("a result store needs a destination");
    }
    this.vertx = vertx;
    this.destinations = List.copyOf(destinations);
    this.retry = retry;
    this.timeout = timeout;
  }

  /** The store {@code ingest} configures; empty when it names no destination. */
  public static Optional<ResultStore> create(Vertx vertx, IngestOptions ingest) {
    StoreOptions options = ingest.store();
    if (!options.enabled()) {
      return Optional.empty();
    }
    List<StoreDestination> to = new ArrayList<>();
    options.dicomweb().ifPresent(name -> to.add(new StowRsDestination(vertx, name,
        ingest.pacs().get(name), PacsHttp.client(vertx, ingest.pacs().get(name)))));
    options.ae().ifPresent(ae -> to.add(new CStoreDestination(vertx, ae,
        options.callingAe().orElse(ingest.dicomAe()))));
    return Optional.of(new ResultStore(vertx, to,
        new Retry(vertx, options.attempts(), StoreOptions.FIRST_BACKOFF_MS),
        Duration.ofMillis(Math.round(options.timeoutSeconds() * 1000))));
  }

  /**
   * Builds the SR and SEG of a finished analysis and sends them everywhere.
   *
   * @param events every event of the analysis, the segmentation's label map included
   * @param files the files the analysis was given
   * @return the outcome warning; never a failure
   */
  public Future<PipelineEvent.Warning> store(List<PipelineEvent> events,
      List<AnalysisRequest.DicomInput> files) {
    Deadline deadline = Deadline.after(timeout);
    return vertx.executeBlocking(() -> ResultObjects.build(events, files, true, true).all(), false)
        .compose(objects -> sendAll(objects, deadline), e -> Future.succeededFuture(
            notStored("they could not be written: " + reason(e))));
  }

  private Future<PipelineEvent.Warning> sendAll(List<byte[]> objects, Deadline deadline) {
    List<Future<Void>> sends = new ArrayList<>();
    for (StoreDestination d : destinations) {
      sends.add(retry.run(dl -> d.send(objects, dl), deadline));
    }
    return Future.join(sends).transform(ignored -> {
      List<String> stored = new ArrayList<>();
      List<String> failed = new ArrayList<>();
      for (int i = 0; i < sends.size(); i++) {
        if (sends.get(i).succeeded()) {
          stored.add(destinations.get(i).name());
        } else {
          failed.add(reason(sends.get(i).cause()));
        }
      }
      if (failed.isEmpty()) {
        LOG.info(() -> "results stored on " + String.join(" and ", stored));
        return Future.succeededFuture(new PipelineEvent.Warning(STORED,
            "The DICOM SR and SEG were stored on " + String.join(" and ", stored) + ".",
            Optional.empty()));
      }
      String also = stored.isEmpty() ? ""
          : " (they were stored on " + String.join(" and ", stored) + ")";
      return Future.succeededFuture(notStored(String.join("; ", failed) + also));
    });
  }

  private static PipelineEvent.Warning notStored(String why) {
    LOG.log(Level.WARNING, "results not stored: {0}", why);
    return new PipelineEvent.Warning(NOT_STORED, "The DICOM SR and SEG were not stored: " + why
        + ".", Optional.empty());
  }

  /** A reason fit for the warning: ours as written; anything else by kind only. */
  private static String reason(Throwable e) {
    if (e instanceof StoreException || e instanceof io.spoils.feature.InvalidInputException
        || e instanceof IllegalStateException) {
      return e.getMessage();
    }
    return "internal error";
  }
}
