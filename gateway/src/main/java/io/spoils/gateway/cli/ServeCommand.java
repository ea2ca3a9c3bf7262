package io.spoils.gateway.cli;

import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.backend.ModelRepository;
import io.spoils.gateway.backend.OnnxRuntimeBackend;
import io.spoils.gateway.backend.OnnxRuntimeOptions;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.server.AnalysisService;
import io.spoils.gateway.server.SpoilsServer;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spoils serve}: the analysis service over gRPC ({@code spoils.v1.AnalysisService}) and HTTP
 * ({@code POST /v1/analyses}, {@code GET /v1/models}, {@code /health/live}, {@code /health/ready})
 * on one port, with the models on the embedded ONNX Runtime backend. Runs until the process is
 * stopped (SIGTERM/SIGINT close the server and the models).
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Serve the analysis over gRPC and HTTP on one port (default 8080). Settings: "
        + "--config JSON file, then SPOILS_* environment variables, then the options here.")
public final class ServeCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "Server config file (JSON).")
  private Path config;

  @Option(names = "--port", paramLabel = "PORT", description = "Port for gRPC and HTTP.")
  private Integer port;

  @Option(names = "--host", paramLabel = "ADDR", description = "Address to bind.")
  private String host;

  @Option(names = "--models", paramLabel = "DIR",
      description = "Triton model repository (default: the repository's triton-models folder).")
  private Path models;

  @Override
  public Integer call() throws Exception {
    ServerOptions options = ServerOptions.load(Optional.ofNullable(config), System.getenv());
    options = port != null ? options.withPort(port) : options;
    options = host != null ? options.withHost(host) : options;
    Path repository = models != null ? models : AnalyzeCommand.defaultModels();
    Vertx vertx = Vertx.vertx();
    CountDownLatch stopped = new CountDownLatch(1);
    try (XgbTreeGrader trees = XgbTreeGrader.loadDefault()) {
      OnnxRuntimeBackend backend = new OnnxRuntimeBackend(vertx, ModelRepository.load(repository),
          OnnxRuntimeOptions.defaults());
      AnalysisService service = new AnalysisService(vertx, backend, "onnxruntime-cpu", trees,
          options);
      SpoilsServer server = AnalyzeCommand.await(SpoilsServer.start(vertx, service));
      spec.commandLine().getOut().printf("spoils: serving gRPC and HTTP on %s:%d%n",
          options.host(), server.port());
      spec.commandLine().getOut().flush();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          AnalyzeCommand.await(server.close().compose(v -> backend.close()));
        } catch (Exception e) {
          // shutting down anyway
        } finally {
          stopped.countDown();
        }
      }));
      stopped.await();
      return 0;
    } finally {
      vertx.close();
    }
  }
}
