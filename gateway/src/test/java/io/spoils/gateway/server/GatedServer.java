package io.spoils.gateway.server;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.spoils.feature.trees.TreeGrader;
import io.spoils.gateway.config.ConnectionOptions;
import io.spoils.gateway.config.SecurityOptions;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.service.AnalysisService;
import io.spoils.gateway.testing.ExampleBackend;
import io.spoils.proto.v1.AnalyzeRequest;
import io.spoils.proto.v1.ClinicalScores;
import io.spoils.proto.v1.DicomFile;
import io.spoils.proto.v1.DicomFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A {@link SpoilsServer} on a real socket (127.0.0.1, a free port) over a {@link ExampleBackend},
 * with a grpc-java channel to it; for the gRPC tests.
 */
final class GatedServer implements AutoCloseable {

  final ExampleBackend backend = new ExampleBackend();
  final AnalysisService service;
  final SpoilsServer server;
  final ManagedChannel channel;

  private GatedServer(Vertx vertx, TreeGrader trees, ServerOptions options,
      ConnectionOptions connections) throws Exception {
    service = new AnalysisService(vertx, backend, "fake", trees, options);
    server = await(SpoilsServer.start(vertx, service, SecurityOptions.none(), connections));
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }

  /** A server with {@code options} bound to 127.0.0.1 on a free port. */
  static GatedServer start(Vertx vertx, TreeGrader trees, ServerOptions options) throws Exception {
    return start(vertx, trees, options, ConnectionOptions.defaults());
  }

  /** A server with {@code options} and {@code connections} bound to 127.0.0.1 on a free port. */
  static GatedServer start(Vertx vertx, TreeGrader trees, ServerOptions options,
      ConnectionOptions connections) throws Exception {
    return new GatedServer(vertx, trees, options.withHost("127.0.0.1").withPort(0), connections);
  }

  static GatedServer start(Vertx vertx, TreeGrader trees) throws Exception {
    return start(vertx, trees, ServerOptions.defaults());
  }

  /** The bundled example slice. */
  static byte[] slice() throws Exception {
    return Files.readAllBytes(ExampleBackend.EXAMPLE.resolve("slice.dcm"));
  }

  /** {@code Analyze} of one file with ODI 45 % and NRS 7. */
  static AnalyzeRequest request(byte[] content) {
    return AnalyzeRequest.newBuilder()
        .setFiles(DicomFiles.newBuilder().addFiles(DicomFile.newBuilder().setName("slice.dcm")
            .setContent(ByteString.copyFrom(content))))
        .setScores(ClinicalScores.newBuilder().setOdiPercent(45).setNrs(7))
        .build();
  }

  int port() {
    return server.port();
  }

  /** The value of the first series of {@code name} carrying every label in {@code labels}. */
  double metric(String name, String... labels) {
    for (String line : service.metrics().scrape().split("\n")) {
      if (line.startsWith(name + "{") && java.util.Arrays.stream(labels).allMatch(line::contains)) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }

  /** Waits (at most 30 s) until {@code condition} holds; false if it never did. */
  static boolean eventually(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /**
   * Awaits an HTTP client exchange built on one event-loop context. Built from the test thread,
   * a response future's listener may be handed to another thread and attach the body handler after
   * the body has ended, so the exchange never completes: a rare hang of the tests' client (a
   * GrpcWebTest loop hung within 150 fresh-server calls; a raw socket got every answer whole).
   */
  static <T> T awaitOnContext(io.vertx.core.Vertx vertx,
      java.util.function.Supplier<Future<T>> exchange) throws Exception {
    io.vertx.core.Promise<T> result = io.vertx.core.Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> exchange.get().onComplete(result));
    return await(result.future());
  }

  @Override
  public void close() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    await(server.close());
    service.metrics().close();
  }
}
