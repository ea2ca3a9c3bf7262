package io.spoils.gateway.backend.triton;

import io.spoils.gateway.backend.ModelRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The gateway tests' in-process KServe v2 server ({@link KServeTestServer}, which runs the models
 * of a repository folder with the embedded ONNX Runtime backend behind Triton's gRPC protocol) for
 * the benchmarks in {@code load-tests}. It comes from the gateway's test jar and is package-private
 * there; this class, in the same package, only opens it, so the benchmarks time the very server
 * the Triton tests use rather than a copy.
 */
public final class InProcessKServe {

  private final KServeTestServer server;

  private InProcessKServe(KServeTestServer server) {
    this.server = server;
  }

  /** Starts a server on 127.0.0.1 at a free port, serving the models of {@code repository}. */
  public static Future<InProcessKServe> start(Vertx vertx, ModelRepository repository) {
    return KServeTestServer.start(vertx, repository).map(InProcessKServe::new);
  }

  /** The port it listens on. */
  public int port() {
    return server.port();
  }

  /** ModelInfer requests received so far. */
  public int inferCalls() {
    return server.inferCalls();
  }

  public Future<Void> close() {
    return server.close();
  }
}
