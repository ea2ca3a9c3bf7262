package io.spoils.gateway.security;

import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.spoils.feature.trees.TreeGrader;
import io.spoils.gateway.backend.simulated.SimulatedBackend;
import io.spoils.gateway.backend.simulated.SimulatedOptions;
import io.spoils.gateway.config.SecurityOptions;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.server.SpoilsServer;
import io.spoils.gateway.service.AnalysisService;
import io.spoils.proto.v1.AnalysisServiceGrpc;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A {@link SpoilsServer} with {@link SecurityOptions} on 127.0.0.1 (a free port, plaintext), the
 * simulated backend, a JDK HTTP/1.1 client and a grpc-java channel; {@link #close()} stops all.
 */
final class SecuredServer implements AutoCloseable {

  final SpoilsServer server;
  final ManagedChannel channel;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private SecuredServer(SpoilsServer server) {
    this.server = server;
    this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext()
        .build();
  }

  static SecuredServer start(Vertx vertx, TreeGrader trees, SecurityOptions security)
      throws Exception {
    return start(vertx, trees, ServerOptions.defaults(), security);
  }

  static SecuredServer start(Vertx vertx, TreeGrader trees, ServerOptions options,
      SecurityOptions security) throws Exception {
    AnalysisService service = new AnalysisService(vertx,
        new SimulatedBackend(vertx, SimulatedOptions.of(0, 0)), "test", trees,
        options.withHost("127.0.0.1").withPort(0));
    return new SecuredServer(await(SpoilsServer.start(vertx, service, security)));
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  /** A GET of {@code path} with {@code authorization} (null: none). */
  HttpResponse<String> get(String path, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** A blocking stub sending {@code authorization} (null: none). */
  AnalysisServiceGrpc.AnalysisServiceBlockingStub stub(String authorization) {
    var stub = AnalysisServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30,
        TimeUnit.SECONDS);
    if (authorization == null) {
      return stub;
    }
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        authorization);
    ClientInterceptor attach = MetadataUtils.newAttachHeadersInterceptor(headers);
    return stub.withInterceptors(attach);
  }

  @Override
  public void close() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    await(server.close());
  }
}
