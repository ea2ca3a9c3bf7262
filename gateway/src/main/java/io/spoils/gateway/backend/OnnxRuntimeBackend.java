package io.spoils.gateway.backend;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.spoils.feature.tensor.FloatTensor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * {@link InferenceBackend} running the models of a Triton model repository in process with ONNX
 * Runtime (CPU execution provider), from the same {@code config.pbtxt} and {@code model.onnx} files
 * Triton would serve.
 *
 * <p>Threading: sessions are created and run only on this backend's own bounded pool of
 * {@link OnnxRuntimeOptions#workers()} daemon threads, never on the event loop; callers get their
 * futures completed on their own Vert.x context. {@code OrtSession.run} is thread-safe, so the
 * workers share one session per model. A request waits in a queue of
 * {@link OnnxRuntimeOptions#queueCapacity()}; a full queue fails it with {@code UNAVAILABLE}.
 *
 * <p>Deadlines: an expired request fails before it is queued and again before it runs; while it
 * runs, a timer at the deadline sets ONNX Runtime's terminate flag (the run stops at the next
 * operator) and fails the future with {@code DEADLINE_EXCEEDED} at once.
 *
 * <p>Start-up (in the constructor, on a worker thread): every model must be an ONNX model whose
 * graph matches its config.pbtxt ({@link OnnxModelCheck}); otherwise {@link #ready()} fails with the
 * reason and every call fails with {@code UNAVAILABLE}.
 *
 * <p>Triton's scheduling settings in config.pbtxt ({@code dynamic_batching}, {@code instance_group},
 * {@code optimization}) are not used here: requests are run as they come, each with its own batch,
 * and concurrency is set by {@link OnnxRuntimeOptions}. Only the highest version is served.
 */
public final class OnnxRuntimeBackend implements InferenceBackend {

  private static final Logger LOG = Logger.getLogger(OnnxRuntimeBackend.class.getName());

  private final Vertx vertx;
  private final ModelRepository repository;
  private final ThreadPoolExecutor executor;
  private final int maxBatch;
  private final Map<String, OrtSession> sessions = new HashMap<>();
  private final Set<RunControl> active = ConcurrentHashMap.newKeySet();
  private final Future<Void> ready;
  private volatile boolean loaded;
  private volatile boolean closed;

  /**
   * Starts loading every model of {@code repository}; see {@link #ready()}.
   */
  public OnnxRuntimeBackend(Vertx vertx, ModelRepository repository, OnnxRuntimeOptions options) {
    this.vertx = vertx;
    this.repository = repository;
    this.maxBatch = options.maxBatch();
    AtomicInteger n = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(options.workers(), options.workers(), 0, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(options.queueCapacity()), r -> {
          Thread t = new Thread(r, "spoils-onnx-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    this.ready = submit(vertx.getOrCreateContext(), () -> {
      load(options);
      return null;
    });
  }

  @Override
  public Future<Void> ready() {
    return ready;
  }

  @Override
  public Optional<ModelSpec> model(String name) {
    return repository.model(name);
  }

  @Override
  public List<ModelSpec> models() {
    return List.copyOf(repository.models().values());
  }

  @Override
  public Optional<String> provenance(String model) {
    return repository.provenance(model);
  }

  /** The model's {@code max_batch_size}, at most {@link OnnxRuntimeOptions#maxBatch()}. */
  @Override
  public int batchLimit(String model) {
    return Math.min(maxBatch, InferenceBackend.super.batchLimit(model));
  }

  /** Requests waiting for a worker (not yet running); for metrics and tests. */
  int queued() {
    return executor.getQueue().size();
  }

  @Override
  public Future<InferResponse> infer(InferRequest request) {
    try {
      ModelSpec spec = admit(request);
      RunControl control = new RunControl();
      active.add(control);
      Context context = vertx.getOrCreateContext();
      Promise<InferResponse> promise = Promise.promise();
      long delayMs = request.deadline().timerMillis();
      long timer = vertx.setTimer(delayMs, id -> {
        control.terminate();
        promise.tryFail(deadlineExceeded(spec));
      });
      submit(context, () -> run(spec, request, control)).onComplete(ar -> {
        vertx.cancelTimer(timer);
        active.remove(control);
        control.close();
        if (ar.succeeded()) {
          promise.tryComplete(ar.result());
        } else {
          promise.tryFail(ar.cause());
        }
      });
      return promise.future();
    } catch (BackendException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * Stops accepting calls, stops the running ones (ONNX Runtime's terminate flag; their futures fail
   * with {@code UNAVAILABLE} or {@code DEADLINE_EXCEEDED}), then closes the sessions. A session
   * whose run does not stop within a minute is left open rather than freed under a running call.
   */
  @Override
  public Future<Void> close() {
    closed = true;
    executor.shutdown();
    active.forEach(RunControl::terminate);
    return vertx.executeBlocking(() -> {
      if (!executor.awaitTermination(1, TimeUnit.MINUTES)) {
        LOG.warning("ONNX Runtime calls still running after a minute; their sessions stay open");
        return null;
      }
      synchronized (sessions) {
        for (OrtSession s : sessions.values()) {
          s.close();
        }
        sessions.clear();
      }
      return null;
    });
  }

  /** Checks that the request may be queued; returns the model it is for. */
  private ModelSpec admit(InferRequest request) {
    if (closed) {
      throw new BackendException(BackendStatus.UNAVAILABLE, "inference backend is closed");
    }
    if (!loaded) {
      throw new BackendException(BackendStatus.UNAVAILABLE, ready.failed()
          ? "models failed to load: " + ready.cause().getMessage() : "models are still loading");
    }
    ModelSpec spec = repository.model(request.model()).orElseThrow(() -> new BackendException(
        BackendStatus.NOT_FOUND, "unknown model " + request.model()));
    if (request.version().isPresent() && request.version().getAsLong() != spec.version()) {
      throw new BackendException(BackendStatus.NOT_FOUND, "model " + spec.name() + " version "
          + request.version().getAsLong() + " is not served (serving " + spec.version() + ")");
    }
    if (request.deadline().expired()) {
      throw deadlineExceeded(spec);
    }
    RequestValidator.validate(spec, request);
    return spec;
  }

  private void load(OnnxRuntimeOptions options) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    for (ModelSpec spec : repository.models().values()) {
      if (!OnnxModelCheck.isOnnx(spec)) {
        throw new ModelRepositoryException("model " + spec.name() + ": platform " + spec.platform()
            + " cannot run in the embedded ONNX Runtime backend");
      }
      try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
        so.setIntraOpNumThreads(options.intraOpThreads());
        so.setInterOpNumThreads(1);
        so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        OrtSession session = env.createSession(spec.modelFile().toString(), so);
        synchronized (sessions) {
          sessions.put(spec.name(), session);
        }
        OnnxModelCheck.check(spec, session);
      }
      LOG.info(() -> "loaded model " + spec.name() + " version " + spec.version());
    }
    loaded = true;
  }

  /** Runs on a worker thread. */
  private InferResponse run(ModelSpec spec, InferRequest request, RunControl control)
      throws OrtException {
    if (request.deadline().expired() || closed) {
      throw closed ? new BackendException(BackendStatus.UNAVAILABLE, "inference backend is closed")
          : deadlineExceeded(spec);
    }
    OrtSession session;
    synchronized (sessions) {
      session = sessions.get(spec.name());
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, FloatTensor> e : request.inputs().entrySet()) {
        FloatTensor t = e.getValue();
        inputs.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(t.data()), t.shape()));
      }
      List<String> names = spec.outputs().stream().map(TensorSpec::name).toList();
      try (OrtSession.Result result = control.run(session, inputs, names)) {
        return new InferResponse(spec.name(), spec.version(), outputs(result, names));
      }
    } catch (OrtException e) {
      if (request.deadline().expired()) {
        throw deadlineExceeded(spec);
      }
      if (closed) {
        throw new BackendException(BackendStatus.UNAVAILABLE, "inference backend is closed", e);
      }
      throw new BackendException(BackendStatus.INTERNAL, "model " + spec.name() + " failed: "
          + e.getMessage(), e);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  private static Map<String, FloatTensor> outputs(OrtSession.Result result, List<String> names)
      throws OrtException {
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    for (String name : names) {
      Optional<OnnxValue> value = result.get(name);
      if (value.isEmpty() || !(value.get() instanceof OnnxTensor tensor)) {
        throw new BackendException(BackendStatus.INTERNAL, "model returned no tensor " + name);
      }
      FloatBuffer buffer = tensor.getFloatBuffer();
      float[] data = new float[buffer.remaining()];
      buffer.get(data);
      out.put(name, new FloatTensor(tensor.getInfo().getShape(), data));
    }
    return out;
  }

  /** Runs {@code task} on the worker pool; the future completes on {@code context}. */
  private <T> Future<T> submit(Context context, ThrowingSupplier<T> task) {
    Promise<T> promise = Promise.promise();
    try {
      executor.execute(() -> {
        try {
          T value = task.get();
          context.runOnContext(v -> promise.complete(value));
        } catch (Throwable e) {
          context.runOnContext(v -> promise.fail(e));
        }
      });
    } catch (RejectedExecutionException e) {
      promise.fail(new BackendException(BackendStatus.UNAVAILABLE, closed
          ? "inference backend is closed" : "inference queue is full, try again later"));
    }
    return promise.future();
  }

  private static BackendException deadlineExceeded(ModelSpec spec) {
    return new BackendException(BackendStatus.DEADLINE_EXCEEDED,
        "deadline exceeded before model " + spec.name() + " answered");
  }

  @FunctionalInterface
  private interface ThrowingSupplier<T> {
    T get() throws Exception;
  }

  /**
   * The run options of one call, shared by the worker (run) and the deadline timer (terminate);
   * synchronised so that the native options are never used after they are closed.
   */
  private static final class RunControl {
    private OrtSession.RunOptions options;
    private boolean terminated;
    private boolean closed;

    synchronized void terminate() {
      terminated = true;
      if (options != null && !closed) {
        try {
          options.setTerminate(true);
        } catch (OrtException e) {
          LOG.warning(() -> "could not stop an ONNX Runtime run: " + e.getMessage());
        }
      }
    }

    OrtSession.Result run(OrtSession session, Map<String, OnnxTensor> inputs, List<String> outputs)
        throws OrtException {
      OrtSession.RunOptions ro;
      synchronized (this) {
        if (terminated || closed) {
          throw new OrtException("run cancelled before it started");
        }
        options = new OrtSession.RunOptions();
        ro = options;
      }
      return session.run(inputs, new java.util.HashSet<>(outputs), ro);
    }

    synchronized void close() {
      closed = true;
      if (options != null) {
        options.close();
      }
    }
  }
}
