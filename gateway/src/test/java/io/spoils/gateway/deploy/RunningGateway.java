package io.spoils.gateway.deploy;

import io.spoils.feature.trees.TreeGrader;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.server.SpoilsServer;
import io.spoils.gateway.service.AnalysisService;
import io.spoils.gateway.testing.ExampleBackend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A gateway on a loopback port with a {@link ExampleBackend}, and a JDK HTTP client to talk to it.
 * {@link #close()} closes the server (idempotent).
 */
final class RunningGateway implements AutoCloseable {

  final AnalysisService service;
  final SpoilsServer server;
  final ExampleBackend backend;
  final HttpClient http = HttpClient.newHttpClient();
  private boolean closed;

  private RunningGateway(AnalysisService service, SpoilsServer server, ExampleBackend backend) {
    this.service = service;
    this.server = server;
    this.backend = backend;
  }

  static RunningGateway start(Vertx vertx, TreeGrader trees, int maxInFlight) throws Exception {
    ExampleBackend backend = new ExampleBackend(1, 16);
    ServerOptions options = ServerOptions.defaults().withHost("127.0.0.1").withPort(0)
        .withAdmission(maxInFlight, 4);
    AnalysisService service = new AnalysisService(vertx, backend, "test", trees, options);
    return new RunningGateway(service, await(SpoilsServer.start(vertx, service)), backend);
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static byte[] slice() throws Exception {
    return Files.readAllBytes(ExampleBackend.EXAMPLE.resolve("slice.dcm"));
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** {@code POST /v1/analyses} of {@code body}, answered when the whole stream has arrived. */
  CompletableFuture<HttpResponse<String>> analyze(byte[] body) {
    return analyze(http, body);
  }

  /** {@code POST /v1/analyses} of {@code body} with {@code client}. */
  CompletableFuture<HttpResponse<String>> analyze(HttpClient client, byte[] body) {
    return client.sendAsync(HttpRequest.newBuilder(uri("/v1/analyses?odi=45&nrs=7"))
        .header("Content-Type", "application/dicom")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws Exception {
    if (!closed) {
      closed = true;
      await(server.close());
    }
  }
}
