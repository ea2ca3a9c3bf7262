package io.spoils.gateway.service;

import io.spoils.feature.trees.TreeGrader;
import io.spoils.gateway.backend.Deadline;
import io.spoils.gateway.backend.InferenceBackend;
import io.spoils.gateway.backend.ModelRegistry;
import io.spoils.gateway.backend.ModelRole;
import io.spoils.gateway.backend.ModelSpec;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.failure.AnalysisException;
import io.spoils.gateway.failure.Failure;
import io.spoils.gateway.failure.FailureCode;
import io.spoils.gateway.metrics.GatewayMetrics;
import io.spoils.gateway.metrics.TimedBackend;
import io.spoils.gateway.pipeline.AnalysisControl;
import io.spoils.gateway.pipeline.AnalysisPipeline;
import io.spoils.gateway.pipeline.AnalysisRequest;
import io.spoils.gateway.pipeline.PipelineEvent;
import io.spoils.gateway.pipeline.PipelineOptions;
import io.spoils.gateway.pipeline.PipelineSink;
import io.spoils.gateway.output.store.ResultStore;
import io.spoils.gateway.output.store.StoringSink;
import io.spoils.feature.InvalidInputException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The transport-neutral analysis service behind every entry point (gRPC and HTTP in
 * {@code server}, DICOMweb and C-STORE in {@code ingest}): admits a {@link Job} ({@link Admission},
 * {@link Drain}), loads its study when it is deferred, runs the pipeline and hands each event,
 * encoded by the output format the caller subscribed ({@link EventEncoder}), to the caller's
 * consumer; answers failures
 * ({@link #failed}) and records its metrics ({@link GatewayMetrics}). Knows no transport.
 * Thread-safe.
 */
public final class AnalysisService {

  private final Vertx vertx;
  private final InferenceBackend backend;
  /** The backend as given, not timed: the warm-up's calls count in no metric. */
  private final InferenceBackend untimed;
  private final String backendLabel;
  private final TreeGrader trees;
  private final ServerOptions options;
  private final Admission admission;
  private final AnalysisPipeline plain;
  private final AnalysisPipeline withMask;
  private final GatewayMetrics metrics;
  private final Drain drain = new Drain();
  private final String treesProvenance;
  /** Where results go back to the PACS; empty when no destination is configured. */
  private final Optional<ResultStore> results;
  /** Studies before readiness ({@link #warmUp}); done at once when none are asked for. */
  private volatile Warmup warmup = Warmup.none();

  /**
   * A service with its own, fresh {@link GatewayMetrics}.
   *
   * @param backend runs the models; not owned
   * @param backendLabel where the models run (e.g. {@code onnxruntime-cpu})
   * @param trees the tree grader; not owned
   */
  public AnalysisService(Vertx vertx, InferenceBackend backend, String backendLabel,
      TreeGrader trees, ServerOptions options) {
    this(vertx, backend, backendLabel, trees, options, new GatewayMetrics());
  }

  /**
   * @param backend runs the models, timed into {@code metrics}; not owned
   * @param backendLabel where the models run (e.g. {@code onnxruntime-cpu})
   * @param trees the tree grader; not owned
   * @param metrics where the service records its meters
   */
  public AnalysisService(Vertx vertx, InferenceBackend backend, String backendLabel,
      TreeGrader trees, ServerOptions options, GatewayMetrics metrics) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.untimed = backend;
    backend = new TimedBackend(backend, metrics);
    this.backend = backend;
    this.backendLabel = backendLabel;
    this.trees = trees;
    this.options = options;
    this.admission = new Admission(options.admission());
    metrics.admission(admission::inFlight, admission::queued);
    PipelineOptions po = PipelineOptions.defaults().withTimeout(options.timeout());
    this.plain = new AnalysisPipeline(vertx, backend, backendLabel, trees, po);
    this.withMask = new AnalysisPipeline(vertx, backend, backendLabel, trees,
        po.withIncludeMask(true));
    this.treesProvenance = io.spoils.gateway.backend.ModelProvenance.ofTrees(trees.info());
    this.results = ResultStore.create(vertx, options.ingest());
  }

  /** The Vert.x instance the service runs on. */
  public Vertx vertx() {
    return vertx;
  }

  public ServerOptions options() {
    return options;
  }

  public Admission admission() {
    return admission;
  }

  /** Graceful shutdown: once started, new studies are refused and readiness is false. */
  public Drain drain() {
    return drain;
  }

  /** The service's meters ({@code GET /metrics}). */
  public GatewayMetrics metrics() {
    return metrics;
  }

  /**
   * How {@code failure} is answered ({@link Failure#of}), counted as an error by status and, for
   * a refusal at the server's limits, as a rejection. Call once per failed request.
   */
  public Failure failed(Throwable failure) {
    Failure m = Failure.of(failure);
    if (failure instanceof AnalysisException) {
      switch (m.code()) {
        case QUEUE_TIMEOUT -> metrics.rejected(GatewayMetrics.QUEUE_TIMEOUT);
        case BUSY -> metrics.rejected(GatewayMetrics.BUSY);
        case TOO_LARGE -> metrics.rejected(GatewayMetrics.TOO_LARGE);
        case DRAINING -> metrics.rejected(Drain.REJECTION_REASON);
        default -> { }
      }
    }
    metrics.error(m.http(), m.grpc().name());
    return m;
  }

  /** A refusal because the server is at its limits, before any study is admitted. */
  public static AnalysisException busy() {
    return new AnalysisException(FailureCode.BUSY, "the server is busy; retry later");
  }

  /**
   * Whether every model answers, the warm-up ({@link #warmUp}) has ended and the server is not
   * draining (for readiness): a failed future says why not, an incomplete one that the models are
   * loading or the warm-up runs.
   */
  public Future<Void> ready() {
    if (drain.draining()) {
      return Future.failedFuture(Drain.refusal());
    }
    Future<Void> models = backend.ready();
    Future<Integer> warm = warmup.done();
    return models.succeeded() && !warm.isComplete() ? warm.mapEmpty() : models;
  }

  /** Whether the models answer and the warm-up studies still run. */
  public boolean warmingUp() {
    return backend.ready().succeeded() && !warmup.done().isComplete();
  }

  /**
   * Runs {@code studies} warm-up studies ({@link Warmup}) once the backend is ready; until they
   * end, {@link #ready()} is incomplete. Call once, at start-up.
   *
   * @return the number of warm-up studies that succeeded, once the warm-up has ended (never fails)
   */
  public Future<Integer> warmUp(int studies) {
    Warmup w = new Warmup();
    warmup = w;
    AnalysisPipeline pipeline = new AnalysisPipeline(vertx, untimed, backendLabel, trees,
        PipelineOptions.defaults().withTimeout(options.timeout()));
    return w.run(untimed.ready(), pipeline, studies);
  }

  /**
   * Admits and runs {@code job}; {@code format}'s encoder of this analysis turns each pipeline event
   * into what {@code events} receives, on the caller's context.
   *
   * @return completes after the summary, or fails (admission, bad input, backend, internal)
   */
  public <T> Future<Void> analyze(Job job, EventEncoder.Factory<T> format, Consumer<T> events) {
    return analyze(job, Caller.of("in-process"), format, events);
  }

  /** As {@link #analyze(Job, EventEncoder.Factory, Consumer)}, audited as {@code caller}'s. */
  public <T> Future<Void> analyze(Job job, Caller caller, EventEncoder.Factory<T> format,
      Consumer<T> events) {
    return analyze(Future.succeededFuture(job), AnalysisControl.none(), System.nanoTime(),
        () -> caller, format, events);
  }

  /**
   * As {@link #analyze(Job, EventEncoder.Factory, Consumer)} for a job whose request may still be
   * arriving, bounded by the caller's deadline and stopped by its cancellation. Admission is
   * decided now, before the request body is read ({@link Admission#reserve()}): a refusal costs
   * the caller no upload, and studies that are uploading count against the limits; the analysis
   * slot is taken only once {@code job} has completed, so an upload still arriving never keeps an
   * arrived study from running. A failed {@code job} gives its place back and fails the result
   * with its cause. While queued, the study waits at most until the deadline (then
   * {@link FailureCode#QUEUE_TIMEOUT}) and leaves the queue when cancelled; once running, the
   * pipeline stops at its next stage boundary ({@link AnalysisControl}). The slot is released
   * when the pipeline has stopped.
   *
   * @param receivedNanos {@link System#nanoTime()} when the request arrived (e.g. an upload's
   *     header): the events' {@code elapsed_ms} count from it
   */
  public <T> Future<Void> analyze(Future<Job> job, AnalysisControl control, long receivedNanos,
      EventEncoder.Factory<T> format, Consumer<T> events) {
    return analyze(job, control, receivedNanos, () -> Caller.of("in-process"), format, events);
  }

  /**
   * As {@link #analyze(Future, AnalysisControl, long, EventEncoder.Factory, Consumer)}, with one
   * audit line for its outcome ({@link AuditLog}).
   *
   * @param caller who asked, read when the outcome is known (a gRPC request id arrives with the
   *     message)
   */
  public <T> Future<Void> analyze(Future<Job> job, AnalysisControl control, long receivedNanos,
      Supplier<Caller> caller, EventEncoder.Factory<T> format, Consumer<T> events) {
    String analysisId = UUID.randomUUID().toString();
    AtomicInteger discs = new AtomicInteger();
    AtomicBoolean started = new AtomicBoolean();
    return drain.track(() -> {
      Admission.Reservation place = admission.reserve();
      return job.andThen(ar -> {
        if (ar.failed()) {
          place.cancel();
        }
      }).compose(j -> place.acquire(vertx, queueWait(control), control.cancellation())
          .compose(permit -> {
            started.set(true);
            return run(j, analysisId, discs, control, receivedNanos, format, events)
                .andThen(ar -> permit.release());
          }));
    }, control.cancellation()::cancel)
        .andThen(ar -> AuditLog.outcome(caller.get(), started.get() ? analysisId : null,
            ar.failed() ? ar.cause() : null, receivedNanos, discs.get()));
  }

  /** The longest a study may wait for a slot: the queue wait, or less near the deadline. */
  private Duration queueWait(AnalysisControl control) {
    return control.deadline().map(Deadline::remaining)
        .filter(d -> d.compareTo(options.maxQueueWait()) < 0).orElse(options.maxQueueWait());
  }

  private <T> Future<Void> run(Job job, String analysisId, AtomicInteger discs,
      AnalysisControl control, long start, EventEncoder.Factory<T> format, Consumer<T> events) {
    EventEncoder<T> encoder = format.open(new AnalysisContext(analysisId, start,
        job.maxContributions(), this::provenance));
    boolean store = job.storeResults()
        || job.source().isPresent() && options.ingest().store().pacsStudies();
    if (store && results.isEmpty()) {
      return Future.failedFuture(new InvalidInputException("store_results: this server has no "
          + "store destination configured (store.dicomweb or store.ae)"));
    }
    AnalysisPipeline pipeline = job.includeMask() || store ? withMask : plain;
    PipelineSink sink = e -> {
      if (e instanceof PipelineEvent.Summary summary) {
        metrics.study(summary.timings());
      } else if (e instanceof PipelineEvent.Disc) {
        discs.incrementAndGet();
      }
      events.accept(encoder.encode(e));
    };
    try {
      return study(job, control).map(request -> request.withComputeVolume(job.computeVolume()))
          .compose(request -> {
            if (!store) {
              return pipeline.analyze(request, sink, control).mapEmpty();
            }
            // the summary waits for the SR and SEG to be stored, so it stays the last event
            StoringSink storing = new StoringSink(sink, !job.includeMask());
            return pipeline.analyze(request, storing, control)
                .compose(summary -> storing.finish(results.get(), request.files()));
          });
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * The job's study: its request, or what its source loads (a PACS fetch, received files) within
   * the server's timeout or the caller's deadline, whichever is sooner. Loading holds the job's
   * admission slot, which bounds the memory of loaded studies like that of uploaded ones.
   */
  private Future<AnalysisRequest> study(Job job, AnalysisControl control) {
    if (job.source().isEmpty()) {
      return Future.succeededFuture(job.request());
    }
    Deadline server = Deadline.after(options.timeout());
    Deadline deadline = control.deadline()
        .filter(d -> d.nanoTime() - server.nanoTime() < 0).orElse(server);
    return job.source().get().load(deadline);
  }

  /** The models an analysis uses now, with their roles, where they run and where they come from. */
  public List<ServedModel> models() {
    List<ServedModel> out = new ArrayList<>();
    for (ModelSpec m : backend.models()) {
      out.add(new ServedModel(m.name(), Long.toString(m.version()), ModelRegistry.role(m.name()),
          backendLabel, provenance(m.name())));
    }
    out.add(new ServedModel(trees.info().name(), trees.info().version(),
        Optional.of(ModelRole.DISC_GRADING_TREES), ModelRegistry.TREES_BACKEND, treesProvenance));
    return out;
  }

  /** The provenance line of the model named {@code model}; empty when nothing is known. */
  private String provenance(String model) {
    return model.equals(trees.info().name()) ? treesProvenance
        : backend.provenance(model).orElse("");
  }
}
