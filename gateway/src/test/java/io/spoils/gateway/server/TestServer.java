package io.spoils.gateway.server;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.spoils.feature.trees.TreeGrader;
import io.spoils.gateway.backend.InferenceBackend;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.service.AnalysisService;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

/**
 * A {@link SpoilsServer} on a real socket (127.0.0.1, a free port) with a grpc-java channel and a
 * JDK HTTP/1.1 client to it; {@link #close()} stops all three.
 */
final class TestServer implements AutoCloseable {

  final SpoilsServer server;
  final ManagedChannel channel;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private TestServer(SpoilsServer server) {
    this.server = server;
    this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext()
        .build();
  }

  /** Serves {@code backend} with the given limits (host and port are overridden). */
  static TestServer start(Vertx vertx, InferenceBackend backend, TreeGrader trees,
      ServerOptions options) throws Exception {
    AnalysisService service = new AnalysisService(vertx, backend, "test", trees,
        options.withHost("127.0.0.1").withPort(0));
    return new TestServer(SpoilsServerTest.await(SpoilsServer.start(vertx, service)));
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
  }

  /** A POST of {@code body} with {@code contentType}. */
  HttpRequest.Builder post(String pathAndQuery, String contentType, byte[] body) {
    return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(java.time.Duration.ofSeconds(60))
        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
  }

  HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).timeout(java.time.Duration.ofSeconds(30))
        .build());
  }

  @Override
  public void close() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    SpoilsServerTest.await(server.close());
  }
}
