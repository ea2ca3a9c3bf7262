package io.spoils.gateway.backend.triton;

import com.google.protobuf.ByteString;
import io.spoils.feature.tensor.FloatTensor;
import io.spoils.gateway.backend.BackendException;
import io.spoils.gateway.backend.Deadline;
import io.spoils.gateway.backend.InferRequest;
import io.spoils.gateway.backend.InferResponse;
import io.spoils.gateway.backend.ModelRepository;
import io.spoils.gateway.backend.ModelSpec;
import io.spoils.gateway.backend.OnnxRuntimeBackend;
import io.spoils.gateway.backend.OnnxRuntimeOptions;
import io.spoils.gateway.backend.TensorSpec;
import io.spoils.proto.inference.ModelInferRequest;
import io.spoils.proto.inference.ModelInferResponse;
import io.spoils.proto.inference.ModelMetadataRequest;
import io.spoils.proto.inference.ModelMetadataResponse;
import io.spoils.proto.inference.ModelReadyRequest;
import io.spoils.proto.inference.ModelReadyResponse;
import io.spoils.proto.inference.ServerLiveRequest;
import io.spoils.proto.inference.ServerLiveResponse;
import io.spoils.proto.inference.ServerReadyRequest;
import io.spoils.proto.inference.ServerReadyResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.GrpcServerRequest;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A KServe v2 gRPC server for tests that behaves like Triton on the RPCs the gateway uses
 * (ServerLive/Ready, ModelReady, ModelMetadata, ModelInfer): it runs the models of a repository
 * folder with {@link OnnxRuntimeBackend}, answers in {@code raw_output_contents} (little-endian),
 * and fails with Triton's status codes: unknown model -&gt; INVALID_ARGUMENT (on ModelReady too),
 * wrong datatype or shape -&gt; INVALID_ARGUMENT, "queue full" (switchable) -&gt; UNAVAILABLE.
 * It can also play a Triton that is not ready ({@link #serverReady}), one that accepts every
 * stream and never answers ({@link #hang}), and one that goes away and comes back on the same
 * port ({@link #stop}, {@link #restart}); with {@link #startTls}, it speaks TLS (optionally
 * mutual), as Triton does with {@code --grpc-use-ssl}.
 */
public final class KServeTestServer {

  private final Vertx vertx;
  private final ModelRepository repository;
  private final OnnxRuntimeBackend backend;
  private final Set<String> unloaded = ConcurrentHashMap.newKeySet();
  private final AtomicInteger inferCalls = new AtomicInteger();
  private volatile boolean queueFull;
  private volatile long delayMs;
  private volatile boolean hang;
  private volatile boolean serverReady = true;
  private final AtomicInteger held = new AtomicInteger();
  private GrpcServer grpc;
  private io.vertx.core.http.HttpServerOptions serverOptions;
  private int port;
  private HttpServer http;

  private KServeTestServer(Vertx vertx, ModelRepository repository) {
    this.vertx = vertx;
    this.repository = repository;
    this.backend = new OnnxRuntimeBackend(vertx, repository, new OnnxRuntimeOptions(1, 2, 16));
  }

  /** Starts a server on 127.0.0.1 at a free port, serving the models of {@code repository}. */
  public static Future<KServeTestServer> start(Vertx vertx, ModelRepository repository) {
    return start(vertx, repository, 0);
  }

  /** As {@link #start(Vertx, ModelRepository)} on {@code port} (0: a free one). */
  public static Future<KServeTestServer> start(Vertx vertx, ModelRepository repository, int port) {
    return start(vertx, repository, new io.vertx.core.http.HttpServerOptions().setPort(port));
  }

  /**
   * As {@link #start(Vertx, ModelRepository)} over TLS with {@code cert} and {@code key} (PEM);
   * with {@code clientCa}, a client certificate it signs is required (mutual TLS).
   */
  public static Future<KServeTestServer> startTls(Vertx vertx, ModelRepository repository,
      java.nio.file.Path cert, java.nio.file.Path key, java.util.Optional<java.nio.file.Path> clientCa) {
    io.vertx.core.http.HttpServerOptions options = new io.vertx.core.http.HttpServerOptions()
        .setPort(0).setSsl(true).setUseAlpn(true).setKeyCertOptions(new io.vertx.core.net.PemKeyCertOptions()
            .setCertPath(cert.toString()).setKeyPath(key.toString()));
    clientCa.ifPresent(ca -> options.setClientAuth(io.vertx.core.http.ClientAuth.REQUIRED)
        .setTrustOptions(new io.vertx.core.net.PemTrustOptions().addCertPath(ca.toString())));
    return start(vertx, repository, options);
  }

  private static Future<KServeTestServer> start(Vertx vertx, ModelRepository repository,
      io.vertx.core.http.HttpServerOptions options) {
    KServeTestServer s = new KServeTestServer(vertx, repository);
    s.grpc = GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(Integer.MAX_VALUE));
    s.register(s.grpc);
    s.serverOptions = options.setHost("127.0.0.1");
    return s.backend.ready().compose(v -> s.listen(options.getPort()));
  }

  private Future<KServeTestServer> listen(int onPort) {
    return vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions(serverOptions)
        .setPort(onPort)).requestHandler(grpc).listen().map(h -> {
          http = h;
          port = h.actualPort();
          return this;
        });
  }

  public int port() {
    return port;
  }

  /** Stops listening and closes every connection, as a Triton that went away. */
  public Future<Void> stop() {
    return http.close();
  }

  /** Listens again on the same port after {@link #stop()}. */
  public Future<KServeTestServer> restart() {
    return listen(port);
  }

  /** With {@code true}, every call (health and inference) is accepted and never answered. */
  public void hang(boolean value) {
    hang = value;
  }

  /** Calls received while hanging, left unanswered. */
  public int held() {
    return held.get();
  }

  /** What ServerReady answers (true by default), as Triton while it loads or shuts down. */
  public void serverReady(boolean value) {
    serverReady = value;
  }

  /** Makes every ModelInfer fail with UNAVAILABLE, as Triton does when a model's queue is full. */
  public void queueFull(boolean full) {
    queueFull = full;
  }

  /** Holds every ModelInfer answer back by {@code ms} (a slow server). */
  public void delay(long ms) {
    delayMs = ms;
  }

  /** Forgets {@code model} as if it were unloaded: Triton then answers INVALID_ARGUMENT. */
  public void unload(String model) {
    unloaded.add(model);
  }

  /** ModelInfer requests received. */
  public int inferCalls() {
    return inferCalls.get();
  }

  public Future<Void> close() {
    return http.close().eventually(() -> backend.close());
  }

  private static <Q, R extends com.google.protobuf.MessageLite> ServiceMethod<Q, R> method(
      String name, Q requestPrototype) {
    GrpcMessageDecoder<Q> dec = GrpcMessageDecoder.decoder((com.google.protobuf.MessageOrBuilder) requestPrototype);
    return ServiceMethod.server(TritonMethods.SERVICE, name, GrpcMessageEncoder.<R>encoder(), dec);
  }

  /** {@code handler}, unless the server hangs: then the call is held without an answer. */
  private <Q, R> io.vertx.core.Handler<GrpcServerRequest<Q, R>> unlessHung(
      io.vertx.core.Handler<GrpcServerRequest<Q, R>> handler) {
    return req -> {
      if (hang) {
        held.incrementAndGet();
        req.handler(m -> { });
      } else {
        handler.handle(req);
      }
    };
  }

  private void register(GrpcServer grpc) {
    grpc.callHandler(KServeTestServer.<ServerLiveRequest, ServerLiveResponse>method("ServerLive",
        ServerLiveRequest.getDefaultInstance()), unlessHung(req -> req.handler(m -> req.response()
            .end(ServerLiveResponse.newBuilder().setLive(true).build()))));
    grpc.callHandler(KServeTestServer.<ServerReadyRequest, ServerReadyResponse>method("ServerReady",
        ServerReadyRequest.getDefaultInstance()), unlessHung(req -> req.handler(m -> req.response()
            .end(ServerReadyResponse.newBuilder().setReady(serverReady).build()))));
    grpc.callHandler(KServeTestServer.<ModelReadyRequest, ModelReadyResponse>method("ModelReady",
        ModelReadyRequest.getDefaultInstance()), unlessHung(req -> req.handler(m -> {
          if (known(m.getName())) {
            req.response().end(ModelReadyResponse.newBuilder().setReady(true).build());
          } else {
            unknownModel(req, m.getName());
          }
        })));
    grpc.callHandler(KServeTestServer.<ModelMetadataRequest, ModelMetadataResponse>method(
        "ModelMetadata", ModelMetadataRequest.getDefaultInstance()), unlessHung(req -> req.handler(
            m -> {
              if (known(m.getName())) {
                req.response().end(metadata(repository.model(m.getName()).orElseThrow()));
              } else {
                unknownModel(req, m.getName());
              }
            })));
    grpc.callHandler(KServeTestServer.<ModelInferRequest, ModelInferResponse>method("ModelInfer",
        ModelInferRequest.getDefaultInstance()), unlessHung(req -> req.handler(m -> infer(req, m))));
  }

  private boolean known(String model) {
    return repository.model(model).isPresent() && !unloaded.contains(model);
  }

  private static void unknownModel(GrpcServerRequest<?, ?> req, String model) {
    fail(req, GrpcStatus.INVALID_ARGUMENT, "Request for unknown model: '" + model + "' is not found");
  }

  private static void fail(GrpcServerRequest<?, ?> req, GrpcStatus status, String message) {
    try {
      req.response().status(status).statusMessage(message).end();
    } catch (IllegalStateException gone) {
      // the client cancelled the call already
    }
  }

  private static ModelMetadataResponse metadata(ModelSpec spec) {
    ModelMetadataResponse.Builder b = ModelMetadataResponse.newBuilder().setName(spec.name())
        .addVersions(Long.toString(spec.version())).setPlatform(spec.platform());
    for (TensorSpec t : spec.inputs()) {
      b.addInputs(tensor(spec, t));
    }
    for (TensorSpec t : spec.outputs()) {
      b.addOutputs(tensor(spec, t));
    }
    return b.build();
  }

  private static ModelMetadataResponse.TensorMetadata tensor(ModelSpec spec, TensorSpec t) {
    return ModelMetadataResponse.TensorMetadata.newBuilder().setName(t.name())
        .setDatatype(TritonModelCheck.datatype(t))
        .addAllShape(TritonModelCheck.expectedShape(spec, t)).build();
  }

  private void infer(GrpcServerRequest<ModelInferRequest, ModelInferResponse> req,
      ModelInferRequest m) {
    inferCalls.incrementAndGet();
    if (!known(m.getModelName())) {
      unknownModel(req, m.getModelName());
      return;
    }
    if (queueFull) {
      fail(req, GrpcStatus.UNAVAILABLE, "Exceeds maximum queue size");
      return;
    }
    Map<String, FloatTensor> inputs;
    try {
      inputs = inputs(m);
    } catch (IllegalArgumentException e) {
      fail(req, GrpcStatus.INVALID_ARGUMENT, e.getMessage());
      return;
    }
    long timeoutMs = req.timeout() > 0 ? req.timeout() : 60_000;
    Deadline deadline = Deadline.after(Duration.ofMillis(timeoutMs));
    Future<Void> wait = delayMs > 0 ? vertx.timer(delayMs).mapEmpty() : Future.succeededFuture();
    wait.compose(v -> backend.infer(InferRequest.of(m.getModelName(), inputs, deadline)))
        .onSuccess(r -> {
          try {
            req.response().end(answer(r));
          } catch (IllegalStateException gone) {
            // the client cancelled the call (its deadline passed) while the model ran
          }
        })
        .onFailure(e -> fail(req, status(e), "inference failed: " + e.getMessage()));
  }

  /** Inputs from raw_input_contents, checked the way Triton checks them. */
  private static Map<String, FloatTensor> inputs(ModelInferRequest m) {
    if (m.getRawInputContentsCount() != m.getInputsCount()) {
      throw new IllegalArgumentException("expected " + m.getInputsCount()
          + " raw_input_contents, got " + m.getRawInputContentsCount());
    }
    Map<String, FloatTensor> out = new HashMap<>();
    for (int i = 0; i < m.getInputsCount(); i++) {
      ModelInferRequest.InferInputTensor in = m.getInputs(i);
      if (!"FP32".equals(in.getDatatype())) {
        throw new IllegalArgumentException("inference input data-type is '" + in.getDatatype()
            + "', model expects 'FP32' for '" + in.getName() + "'");
      }
      if (in.hasContents()) {
        throw new IllegalArgumentException("contents field must not be specified when using "
            + "raw_input_contents for '" + in.getName() + "'");
      }
      long[] shape = in.getShapeList().stream().mapToLong(Long::longValue).toArray();
      ByteString raw = m.getRawInputContents(i);
      if (raw.size() != FloatTensor.elementCount(shape) * Float.BYTES) {
        throw new IllegalArgumentException("unexpected size " + raw.size() + " for input '"
            + in.getName() + "'");
      }
      float[] data = new float[raw.size() / Float.BYTES];
      raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
      out.put(in.getName(), new FloatTensor(shape, data));
    }
    return out;
  }

  private static ModelInferResponse answer(InferResponse r) {
    ModelInferResponse.Builder b = ModelInferResponse.newBuilder().setModelName(r.model())
        .setModelVersion(Long.toString(r.version()));
    for (Map.Entry<String, FloatTensor> e : r.outputs().entrySet()) {
      b.addOutputs(ModelInferResponse.InferOutputTensor.newBuilder().setName(e.getKey())
          .setDatatype("FP32").addAllShape(java.util.Arrays.stream(e.getValue().shape()).boxed()
              .toList()));
      b.addRawOutputContents(TritonCodec.toBytes(e.getValue().data()));
    }
    return b.build();
  }

  /** Triton's status for an embedded-backend failure (wrong shape: INVALID_ARGUMENT, ...). */
  private static GrpcStatus status(Throwable e) {
    if (!(e instanceof BackendException be)) {
      return GrpcStatus.INTERNAL;
    }
    return switch (be.status()) {
      case INVALID_ARGUMENT -> GrpcStatus.INVALID_ARGUMENT;
      case NOT_FOUND -> GrpcStatus.NOT_FOUND;
      case UNAVAILABLE -> GrpcStatus.UNAVAILABLE;
      case DEADLINE_EXCEEDED -> GrpcStatus.DEADLINE_EXCEEDED;
      case INTERNAL -> GrpcStatus.INTERNAL;
    };
  }
}
