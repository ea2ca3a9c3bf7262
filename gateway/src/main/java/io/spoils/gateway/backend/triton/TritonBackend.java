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
import io.spoils.proto.inference.ServerReadyResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
 * <p>Start-up ({@link #ready()}, begun in the constructor): ServerReady, then for each model
 * ModelReady and ModelMetadata, compared with the local {@link ModelSpec}
 * ({@link TritonModelCheck}); a difference fails {@code ready()} with the model and the mismatch.
 * Calls made before the check succeeded fail with {@code UNAVAILABLE}.
 *
 * <p>Deadlines: every call carries the request's {@link Deadline} as its gRPC timeout
 * ({@code grpc-timeout} header, and a local timer that cancels the call); a request whose deadline
 * has already passed fails at once with {@code DEADLINE_EXCEEDED} without being sent.
 */
public final class TritonBackend implements InferenceBackend {

  /** How long the start-up check may take in all. */
  public static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

  private static final Logger LOG = Logger.getLogger(TritonBackend.class.getName());

  private final GrpcClient client;
  private final SocketAddress address;
  private final String where;
  private final Map<String, ModelSpec> models;
  private final Map<String, String> localProvenance;
  /** What Triton's ModelMetadata said, per model, once the start-up check has passed it. */
  private final Map<String, ModelMetadataResponse> metadata =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final Future<Void> ready;
  private volatile boolean closed;

  /**
   * Connects lazily to the server of {@code options} and starts the start-up check of
   * {@code modelNames}, each of which must be a model of {@code repository}.
   */
  public TritonBackend(Vertx vertx, ModelRepository repository, List<String> modelNames,
      TritonOptions options) {
    this.address = SocketAddress.inetSocketAddress(options.port(), options.host());
    this.where = options.host() + ":" + options.port();
    this.client = GrpcClient.client(vertx, new GrpcClientOptions()
        .setMaxMessageSize(options.maxMessageSize())
        .setScheduleDeadlineAutomatically(true), httpOptions(options));
    Map<String, ModelSpec> specs = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (String name : modelNames) {
      repository.model(name).ifPresentOrElse(s -> specs.put(name, s), () -> missing.add(name));
    }
    this.models = Map.copyOf(specs);
    Map<String, String> local = new LinkedHashMap<>();
    specs.keySet().forEach(n -> repository.provenance(n).ifPresent(p -> local.put(n, p)));
    this.localProvenance = Map.copyOf(local);
    this.ready = missing.isEmpty() ? startupCheck(new ArrayList<>(specs.values()))
        : Future.failedFuture(new BackendException(BackendStatus.INTERNAL, "Triton start-up check: "
            + "model(s) " + missing + " are not in the local model repository " + repository.root()));
  }

  private static HttpClientOptions httpOptions(TritonOptions options) {
    HttpClientOptions http = new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_2)
        .setConnectTimeout((int) options.connectTimeout().toMillis());
    if (options.plaintext()) {
      // Triton speaks h2c with prior knowledge, not the HTTP/1.1 upgrade dance
      http.setHttp2ClearTextUpgrade(false);
    } else {
      http.setSsl(true).setUseAlpn(true);
    }
    return http;
  }

  @Override
  public Future<Void> ready() {
    return ready;
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
        .map(resp -> new InferResponse(spec.name(), version(spec, resp),
            TritonCodec.decode(spec, resp, batch)));
  }

  /** Closes the gRPC client; later calls fail with {@code UNAVAILABLE}. */
  @Override
  public Future<Void> close() {
    closed = true;
    return client.close();
  }

  private ModelSpec admit(InferRequest request) {
    if (closed) {
      throw new BackendException(BackendStatus.UNAVAILABLE, "inference backend is closed");
    }
    if (!ready.succeeded()) {
      throw new BackendException(BackendStatus.UNAVAILABLE, ready.failed()
          ? "Triton start-up check failed: " + ready.cause().getMessage()
          : "Triton start-up check is still running");
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

  private Future<Void> startupCheck(List<ModelSpec> specs) {
    Deadline deadline = Deadline.after(STARTUP_TIMEOUT);
    Future<Void> chain = call(TritonMethods.SERVER_READY, ServerReadyRequest.getDefaultInstance(),
        "(server)", deadline).compose(r -> r.getReady() ? Future.succeededFuture()
            : Future.failedFuture(startup("Triton at " + where + " is not ready")));
    for (ModelSpec spec : specs) {
      chain = chain.compose(v -> checkModel(spec, deadline));
    }
    return chain.onSuccess(v -> LOG.info(() -> "Triton at " + where + " serves " + specs.size()
        + " model(s) matching the local repository"))
        .recover(e -> Future.failedFuture(e instanceof BackendException ? e
            : startup("Triton at " + where + " failed the start-up check: " + e)));
  }

  private Future<Void> checkModel(ModelSpec spec, Deadline deadline) {
    ModelReadyRequest readyReq = ModelReadyRequest.newBuilder().setName(spec.name()).build();
    return call(TritonMethods.MODEL_READY, readyReq, spec.name(), deadline)
        .recover(e -> Future.failedFuture(startup("model " + spec.name() + " is not available on "
            + "Triton at " + where + ": " + e.getMessage())))
        .compose((ModelReadyResponse r) -> {
          if (!r.getReady()) {
            return Future.failedFuture(startup("model " + spec.name() + " is not ready on Triton at "
                + where));
          }
          ModelMetadataRequest metaReq = ModelMetadataRequest.newBuilder().setName(spec.name()).build();
          return call(TritonMethods.MODEL_METADATA, metaReq, spec.name(), deadline);
        })
        .compose((ModelMetadataResponse meta) -> {
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

  /** One unary call with the deadline as its gRPC timeout; failures mapped to BackendException. */
  private <Q, R> Future<R> call(ServiceMethod<R, Q> method, Q message, String model,
      Deadline deadline) {
    String name = method.methodName();
    if (closed) {
      return Future.failedFuture(new BackendException(BackendStatus.UNAVAILABLE,
          "inference backend is closed"));
    }
    if (deadline.expired()) {
      return Future.failedFuture(TritonErrorMapper.fromStatus(model, name,
          GrpcStatus.DEADLINE_EXCEEDED, null, true));
    }
    long timeoutMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline.remaining().toNanos()));
    return client.request(address, method).compose(req -> {
      req.timeout(timeoutMs, TimeUnit.MILLISECONDS);
      return req.send(message).compose(resp -> resp.last().recover(err -> {
        GrpcStatus status = resp.status();
        return Future.failedFuture(status != null && status != GrpcStatus.OK
            ? TritonErrorMapper.fromStatus(model, name, status, resp.statusMessage(),
                deadline.expired())
            : err);
      }));
    }).recover(err -> Future.failedFuture(
        TritonErrorMapper.fromThrowable(model, name, err, deadline.expired())));
  }
}
