package io.spoils.gateway.service;

import io.spoils.feature.trees.TreeGrader;
import io.spoils.gateway.api.ProtoEvents;
import io.spoils.gateway.backend.Deadline;
import io.spoils.gateway.backend.InferenceBackend;
import io.spoils.gateway.backend.ModelRegistry;
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
import io.spoils.proto.v1.AnalysisEvent;
import io.spoils.proto.v1.ModelInfo;
import io.spoils.proto.v1.ModelRole;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The transport-neutral analysis service behind every entry point (gRPC and HTTP in
 * {@code server}, DICOMweb and C-STORE in {@code ingest}): admits a {@link Job} ({@link Admission},
 * {@link Drain}), loads its study when it is deferred, runs the pipeline and hands each event,
 * already mapped to {@code spoils.v1.AnalysisEvent}, to the caller's consumer; answers failures
 * ({@link #failed}) and records its metrics ({@link GatewayMetrics}). Knows no transport.
 * Thread-safe.
 */
public final class AnalysisService {

  private final Vertx vertx;
  private final InferenceBackend backend;
  private final String backendLabel;
  private final TreeGrader trees;
  private final ServerOptions options;
  private final Admission admission;
  private final AnalysisPipeline plain;
  private final AnalysisPipeline withMask;
  private final GatewayMetrics metrics;
  private final Drain drain = new Drain();
  private final String treesProvenance;

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

  /** Whether every model answers and the server is not draining (for readiness). */
  public Future<Void> ready() {
    return drain.draining() ? Future.failedFuture(Drain.refusal()) : backend.ready();
  }

  /**
   * Admits and runs {@code job}; {@code events} receives each event on the caller's context.
   *
   * @return completes after the summary, or fails (admission, bad input, backend, internal)
   */
  public Future<Void> analyze(Job job, Consumer<AnalysisEvent> events) {
    return analyze(job, AnalysisControl.none(), events);
  }

  /**
   * As {@link #analyze(Job, Consumer)}, bounded by the caller's deadline and stopped by its
   * cancellation: while queued, the study waits at most until the deadline (then
   * {@link FailureCode#QUEUE_TIMEOUT}) and leaves the queue when cancelled; once running, the
   * pipeline stops at its next stage boundary ({@link AnalysisControl}). The admission slot is
   * released when the pipeline has stopped.
   */
  public Future<Void> analyze(Job job, AnalysisControl control, Consumer<AnalysisEvent> events) {
    return analyze(job, control, System.nanoTime(), events);
  }

  /**
   * As {@link #analyze(Job, AnalysisControl, Consumer)}, with the events' {@code elapsed_ms}
   * counted from {@code receivedNanos} ({@link System#nanoTime()} when the request arrived, e.g.
   * an upload's header).
   */
  public Future<Void> analyze(Job job, AnalysisControl control, long receivedNanos,
      Consumer<AnalysisEvent> events) {
    return analyze(Future.succeededFuture(job), control, receivedNanos, events);
  }

  /**
   * As {@link #analyze(Job, AnalysisControl, long, Consumer)} for a job whose request is still
   * arriving: the admission slot is taken (or refused) now, before the request body is read, and
   * held while {@code job} completes. A refusal therefore costs the caller no upload, and studies
   * that are uploading count against the limits like running ones. A failed {@code job} releases
   * the slot and fails the result with its cause.
   */
  public Future<Void> analyze(Future<Job> job, AnalysisControl control, long receivedNanos,
      Consumer<AnalysisEvent> events) {
    Duration wait = control.deadline().map(Deadline::remaining)
        .filter(d -> d.compareTo(options.maxQueueWait()) < 0).orElse(options.maxQueueWait());
    return drain.track(() -> admission.acquire(vertx, wait, control.cancellation())
        .compose(permit -> job.compose(j -> run(j, control, receivedNanos, events))
            .andThen(ar -> permit.release())));
  }

  private Future<Void> run(Job job, AnalysisControl control, long start,
      Consumer<AnalysisEvent> events) {
    ProtoEvents proto = new ProtoEvents(UUID.randomUUID().toString(), start,
        job.maxContributions(), this::provenance);
    AnalysisPipeline pipeline = job.includeMask() ? withMask : plain;
    try {
      return study(job, control).map(request -> request.withComputeVolume(job.computeVolume()))
          .compose(request -> pipeline.analyze(request, e -> {
            if (e instanceof PipelineEvent.Summary summary) {
              metrics.study(summary.timings());
            }
            events.accept(proto.next(e));
          }, control)).mapEmpty();
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
  public List<ModelInfo> models() {
    List<ModelInfo> out = new ArrayList<>();
    for (ModelSpec m : backend.models()) {
      ModelRole role = ModelRegistry.role(m.name()).map(ProtoEvents::role)
          .orElse(ModelRole.MODEL_ROLE_UNSPECIFIED);
      out.add(ModelInfo.newBuilder().setName(m.name()).setVersion(Long.toString(m.version()))
          .setRole(role).setBackend(backendLabel).setProvenance(provenance(m.name())).build());
    }
    out.add(ModelInfo.newBuilder().setName(trees.info().name()).setVersion(trees.info().version())
        .setRole(ProtoEvents.role(io.spoils.gateway.backend.ModelRole.DISC_GRADING_TREES))
        .setBackend(ModelRegistry.TREES_BACKEND)
        .setProvenance(treesProvenance).build());
    return out;
  }

  /** The provenance line of the model named {@code model}; empty when nothing is known. */
  private String provenance(String model) {
    return model.equals(trees.info().name()) ? treesProvenance
        : backend.provenance(model).orElse("");
  }
}
