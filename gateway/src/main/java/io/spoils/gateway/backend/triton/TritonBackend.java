package io.spoils.gateway.backend.triton;

import io.spoils.gateway.backend.BackendException;
import io.spoils.gateway.backend.BackendStatus;
import io.spoils.gateway.backend.Deadline;
import io.spoils.gateway.backend.InferRequest;
import io.spoils.gateway.backend.InferResponse;
import io.spoils.gateway.backend.InferenceBackend;
import io.spoils.gateway.backend.ModelRepository;
import io.spoils.gateway.backend.ModelSpec;
import io.spoils.gateway.backend.RequestValidator;
import io.spoils.proto.inference.ModelInferRequest;
import io.spoils.proto.inference.ModelInferResponse;
import io.spoils.proto.inference.ModelMetadataRequest;
import io.spoils.proto.inference.ModelMetadataResponse;
import io.spoils.proto.inference.ModelReadyRequest;
import io.spoils.proto.inference.ModelReadyResponse;
import io.spoils.proto.inference.ServerReadyRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.ServiceMethod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * {@link InferenceBackend} calling a Triton Inference Server over gRPC (KServe v2,
 * {@code inference.GRPCInferenceService}) with the Vert.x gRPC client; non-blocking throughout.
 *
 * <p>The local model repository (the same {@code triton-models/} folder Triton serves) is the
 * gateway's view of the models: requests are validated against it before they are sent
 * ({@code INVALID_ARGUMENT}, {@code NOT_FOUND} locally, as in the embedded backend), so a refusal by
 * Triton means the two disagree and is reported as {@code INTERNAL} ({@link TritonErrorMapper}).
 *
 * <p>Health ({@link TritonHealth}, timing from {@link TritonHealthOptions}): the start-up check,
 * begun in the constructor (ServerReady, then for each model ModelReady and ModelMetadata,
 * compared with the local {@link ModelSpec} by {@link TritonModelCheck}), is retried with
 * exponential backoff until it passes; {@link #startup()} fails when it has not passed within the
 * start-up limit (with the last reason: unreachable, not ready, or the model and the mismatch).
 * Afterwards ServerReady and ModelReady run periodically, and at once when a call fails with
 * UNAVAILABLE; {@link #ready()} follows them in both directions. Calls made before start-up
 * passed fail with {@code UNAVAILABLE}; calls while Triton is not ready are still sent.
 *
 * <p>Deadlines: every call is bounded by the request's {@link Deadline}, connecting included,
 * even when the peer accepted the connection and never answers ({@link TritonCalls}); a request
 * whose deadline has already passed fails at once without being sent.
 */
public final class TritonBackend implements InferenceBackend {

  private static final Logger LOG = Logger.getLogger(TritonBackend.class.getName());

  private final TritonCalls calls;
  private final String where;
  private final Map<String, ModelSpec> models;
  private final Map<String, String> localProvenance;
  /** What Triton's ModelMetadata said, per model, once the start-up check has passed it. */
  private final Map<String, ModelMetadataResponse> metadata =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final TritonHealth health;
  private volatile boolean closed;

  /**
   * Connects lazily to the server of {@code options} and starts the start-up check of
   * {@code modelNames}, each of which must be a model of {@code repository} (else
   * {@link #startup()} fails at once).
   *
   * @throws io.spoils.feature.InvalidInputException when a TLS file cannot be read
   */
  public TritonBackend(Vertx vertx, ModelRepository repository, List<String> modelNames,
      TritonOptions options) {
    options.tls().ifPresent(TritonTls::checkFiles);
    this.where = options.host() + ":" + options.port();
    this.calls = new TritonCalls(vertx, options);
    Map<String, ModelSpec> specs = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (String name : modelNames) {
      repository.model(name).ifPresentOrElse(s -> specs.put(name, s), () -> missing.add(name));
    }
    this.models = Map.copyOf(specs);
    Map<String, String> local = new LinkedHashMap<>();
    specs.keySet().forEach(n -> repository.provenance(n).ifPresent(p -> local.put(n, p)));
    this.localProvenance = Map.copyOf(local);
    List<ModelSpec> checked = new ArrayList<>(specs.values());
    this.health = new TritonHealth(vertx, options.health(), where,
        (full, deadline) -> check(checked, full, deadline));
    if (missing.isEmpty()) {
      health.start();
    } else {
      health.failNow(new BackendException(BackendStatus.INTERNAL, "Triton start-up check: "
          + "model(s) " + missing + " are not in the local model repository "
          + repository.root()));
    }
  }

  /**
   * Readiness now: succeeded while the last health check passed; while starting, the start-up
   * check's future; otherwise failed with {@code UNAVAILABLE} and the reason.
   */
  @Override
  public Future<Void> ready() {
    return closed ? Future.failedFuture(new BackendException(BackendStatus.UNAVAILABLE,
        "inference backend is closed")) : health.ready();
  }

  /**
   * Completes when the start-up check first passes; fails when the start-up limit passes first
   * (or at once when a model is missing locally), naming the last reason.
   */
  public Future<Void> startup() {
    return health.startup();
  }

  @Override
  public Optional<ModelSpec> model(String name) {
    return Optional.ofNullable(models.get(name));
  }

  @Override
  public List<ModelSpec> models() {
    return List.copyOf(models.values());
  }

  /**
   * What Triton's model metadata says (platform, versions; once the start-up check has fetched
   * it), then the local repository's provenance of the same model (card, digest of the local
   * copy, which the start-up check compared by tensor contract, not byte for byte).
   */
  @Override
  public Optional<String> provenance(String model) {
    if (!models.containsKey(model)) {
      return Optional.empty();
    }
    ModelMetadataResponse meta = metadata.get(model);
    String remote = meta == null ? "Triton model metadata not fetched yet"
        : "Triton model metadata: platform " + meta.getPlatform() + ", versions "
            + String.join(" ", meta.getVersionsList());
    return Optional.of(remote + Optional.ofNullable(localProvenance.get(model))
        .map(p -> "; local repository: " + p).orElse(""));
  }

  @Override
  public Future<InferResponse> infer(InferRequest request) {
    ModelSpec spec;
    int batch;
    ModelInferRequest message;
    try {
      spec = admit(request);
      batch = RequestValidator.validate(spec, request);
      message = TritonCodec.encode(spec, request);
    } catch (BackendException e) {
      return Future.failedFuture(e);
    }
    return call(TritonMethods.MODEL_INFER, message, spec.name(), request.deadline())
        .onFailure(e -> {
          if (e instanceof BackendException be) {
            health.callFailed(be);
          }
        })
        .map(resp -> new InferResponse(spec.name(), version(spec, resp),
            TritonCodec.decode(spec, resp, batch)));
  }

  /** Stops the health checks and closes the gRPC client; later calls fail with {@code UNAVAILABLE}. */
  @Override
  public Future<Void> close() {
    closed = true;
    health.close();
    return calls.close();
  }

  private ModelSpec admit(InferRequest request) {
    if (closed) {
      throw new BackendException(BackendStatus.UNAVAILABLE, "inference backend is closed");
    }
    switch (health.state()) {
      case STARTING -> throw new BackendException(BackendStatus.UNAVAILABLE,
          "Triton start-up check is still running");
      case FAILED -> throw new BackendException(BackendStatus.UNAVAILABLE,
          "Triton start-up check failed: " + health.reason());
      case CLOSED -> throw new BackendException(BackendStatus.UNAVAILABLE,
          "inference backend is closed");
      default -> { } // READY; NOT_READY: Triton answers for itself
    }
    ModelSpec spec = models.get(request.model());
    if (spec == null) {
      throw new BackendException(BackendStatus.NOT_FOUND, "unknown model " + request.model());
    }
    if (request.version().isPresent() && request.version().getAsLong() != spec.version()) {
      throw new BackendException(BackendStatus.NOT_FOUND, "model " + spec.name() + " version "
          + request.version().getAsLong() + " is not served (serving " + spec.version() + ")");
    }
    if (request.deadline().expired()) {
      throw new BackendException(BackendStatus.DEADLINE_EXCEEDED,
          "deadline exceeded before model " + spec.name() + " was called");
    }
    return spec;
  }

  private static long version(ModelSpec spec, ModelInferResponse resp) {
    try {
      return resp.getModelVersion().isEmpty() ? spec.version() : Long.parseLong(resp.getModelVersion());
    } catch (NumberFormatException e) {
      return spec.version();
    }
  }

  /**
   * One health check by {@code deadline}: ServerReady, then each model's ModelReady; with
   * {@code full}, each model's ModelMetadata compared with the local spec too.
   */
  private Future<Void> check(List<ModelSpec> specs, boolean full, Deadline deadline) {
    Future<Void> chain = call(TritonMethods.SERVER_READY, ServerReadyRequest.getDefaultInstance(),
        "(server)", deadline).compose(r -> r.getReady() ? Future.succeededFuture()
            : Future.failedFuture(startup("Triton at " + where + " is not ready")));
    for (ModelSpec spec : specs) {
      chain = chain.compose(v -> checkModel(spec, full, deadline));
    }
    return chain.onSuccess(v -> {
      if (full) {
        LOG.info(() -> "Triton at " + where + " serves " + specs.size()
            + " model(s) matching the local repository");
      }
    }).recover(e -> Future.failedFuture(e instanceof BackendException ? e
        : startup("Triton at " + where + " failed the check: " + e)));
  }

  private Future<Void> checkModel(ModelSpec spec, boolean full, Deadline deadline) {
    ModelReadyRequest readyReq = ModelReadyRequest.newBuilder().setName(spec.name()).build();
    return call(TritonMethods.MODEL_READY, readyReq, spec.name(), deadline)
        .recover(e -> Future.failedFuture(startup("model " + spec.name() + " is not available on "
            + "Triton at " + where + ": " + e.getMessage())))
        .compose((ModelReadyResponse r) -> {
          if (!r.getReady()) {
            return Future.failedFuture(startup("model " + spec.name() + " is not ready on Triton at "
                + where));
          }
          if (!full) {
            return Future.succeededFuture(null);
          }
          ModelMetadataRequest metaReq = ModelMetadataRequest.newBuilder().setName(spec.name()).build();
          return call(TritonMethods.MODEL_METADATA, metaReq, spec.name(), deadline);
        })
        .compose((ModelMetadataResponse meta) -> {
          if (meta == null) {
            return Future.succeededFuture();
          }
          List<String> diff = TritonModelCheck.mismatches(spec, meta);
          if (diff.isEmpty()) {
            metadata.put(spec.name(), meta);
          }
          return diff.isEmpty() ? Future.succeededFuture() : Future.failedFuture(startup("model "
              + spec.name() + " on Triton at " + where + " does not match the local config.pbtxt: "
              + String.join("; ", diff)));
        });
  }

  private static BackendException startup(String reason) {
    return new BackendException(BackendStatus.INTERNAL, reason);
  }

  /** One call through {@link #calls}, refused once the backend is closed. */
  private <Q, R> Future<R> call(ServiceMethod<R, Q> method, Q message, String model,
      Deadline deadline) {
    if (closed) {
      return Future.failedFuture(new BackendException(BackendStatus.UNAVAILABLE,
          "inference backend is closed"));
    }
    return calls.call(method, message, model, deadline);
  }
}
