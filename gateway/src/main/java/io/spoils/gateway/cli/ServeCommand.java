package io.spoils.gateway.cli;

import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.backend.InferenceBackend;
import io.spoils.gateway.backend.ModelRegistry;
import io.spoils.gateway.backend.ModelRepository;
import io.spoils.gateway.backend.ModelRepositoryException;
import io.spoils.gateway.backend.OnnxRuntimeBackend;
import io.spoils.gateway.backend.OnnxRuntimeOptions;
import io.spoils.gateway.backend.simulated.SimulatedBackend;
import io.spoils.gateway.backend.simulated.SimulatedOptions;
import io.spoils.gateway.backend.triton.TritonBackend;
import io.spoils.gateway.config.BackendOptions;
import io.spoils.gateway.config.ConnectionOptions;
import io.spoils.gateway.config.SecurityOptions;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.security.Exposure;
import io.spoils.gateway.config.TritonClientOptions;
import io.spoils.gateway.server.SpoilsServer;
import io.spoils.gateway.service.AnalysisService;
import io.spoils.gateway.service.Drain;
import io.spoils.gateway.service.Warmup;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spoils serve}: the analysis service over gRPC ({@code spoils.v1.AnalysisService}) and HTTP
 * ({@code POST /v1/analyses}, {@code GET /v1/models}, {@code /health/live}, {@code /health/ready},
 * {@code GET /metrics} in the Prometheus text format)
 * on one port, with the models on the backend the settings choose: the embedded ONNX Runtime
 * backend (default) or a Triton server ({@code backend: triton}, {@code tritonHost},
 * {@code tritonPort}; the local model repository of {@code --models} gives the expected tensor
 * specs) or the simulated backend ({@code backend: simulated}, no models, for load tests).
 * Readiness follows the chosen backend; with Triton, its health in both directions, and when its
 * start-up check has not passed within {@code tritonStartupSeconds} serve exits with status 1
 * (so that an orchestrator restarts it). Runs until the process is stopped: SIGTERM/SIGINT
 * drain the service ({@link Drain}: new studies refused, readiness false, running ones finish
 * within {@code SPOILS_DRAIN_SECONDS}, default 30), then close the server and the models.
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
      description = "Triton model repository (default: the repository's triton-models folder); "
          + "with the Triton backend, the specs the server's models must match.")
  private Path models;

  @picocli.CommandLine.Mixin
  private SecurityFlags securityFlags = new SecurityFlags();

  @picocli.CommandLine.Mixin
  private TritonFlags tritonFlags = new TritonFlags();

  @picocli.CommandLine.Mixin
  private IngestFlags ingestFlags = new IngestFlags();

  /**
   * A backend, the label {@code ListModels} reports for it, and its start-up: when that fails
   * (Triton's start-up limit), serve exits.
   */
  record ChosenBackend(InferenceBackend backend, String label, Future<Void> startup) {
    ChosenBackend(InferenceBackend backend, String label) {
      this(backend, label, backend.ready());
    }
  }

  @Override
  public Integer call() throws Exception {
    ServerOptions options = ServerOptions.load(Optional.ofNullable(config),
        ingestFlags.over(System.getenv()));
    options = port != null ? options.withPort(port) : options;
    options = host != null ? options.withHost(host) : options;
    SecurityOptions security = SecurityOptions.load(Optional.ofNullable(config), System.getenv(),
        securityFlags.values());
    Exposure.check(options.host(), security) // refuses (exit 2) or warns
        .ifPresent(w -> spec.commandLine().getErr().println("spoils: " + w));
    JsonLogs.install(security.audit(), System.out);
    TritonClientOptions triton = TritonClientOptions.load(Optional.ofNullable(config),
        System.getenv(), tritonFlags.values());
    ConnectionOptions connections =
        ConnectionOptions.load(Optional.ofNullable(config), System.getenv());
    Path repository = models != null ? models : AnalyzeCommand.defaultModels();
    Duration drainTimeout = Drain.timeout(System.getenv());
    int warmupStudies = Warmup.studies(System.getenv());
    ModelRepository repo;
    try {
      repo = ModelRepository.load(repository);
      checkModels(options, repo);
    } catch (ModelRepositoryException e) {
      spec.commandLine().getErr().println("spoils: " + e.getMessage());
      return Spoils.EXIT_FAILURE;
    }
    Vertx vertx = Vertx.vertx();
    CountDownLatch stopped = new CountDownLatch(1);
    try (XgbTreeGrader trees = XgbTreeGrader.loadDefault()) {
      ChosenBackend chosen = backend(vertx, options, triton, repo);
      InferenceBackend backend = chosen.backend();
      if (!embeddedLoaded(options, backend)) {
        AnalyzeCommand.await(backend.close());
        return Spoils.EXIT_FAILURE;
      }
      AnalysisService service = new AnalysisService(vertx, backend, chosen.label(), trees,
          options);
      long warmStart = System.nanoTime();
      service.warmUp(warmupStudies).onSuccess(ran -> {
        if (ran > 0) {
          spec.commandLine().getOut().printf("spoils: warm-up: %d of %d studies through the "
              + "pipeline in %d ms (%s)%n", ran, warmupStudies,
              (System.nanoTime() - warmStart) / 1_000_000, Warmup.ENV);
          spec.commandLine().getOut().flush();
        }
      });
      SpoilsServer server = AnalyzeCommand.await(SpoilsServer.start(vertx, service,
          security, connections));
      spec.commandLine().getOut().printf("spoils: serving gRPC and HTTP on %s:%d (backend %s)%n",
          options.host(), server.port(), chosen.label());
      spec.commandLine().getOut().println(SecurityFlags.describe(security));
      if (options.backend() == ServerOptions.Backend.TRITON) {
        spec.commandLine().getOut().println(TritonFlags.describe(
            TritonFlags.options(options, triton)));
      }
      server.dicomPort().ifPresent(p -> spec.commandLine().getOut().printf(
          "spoils: DICOM C-STORE listener on port %d, AE title %s%n", p,
          service.options().ingest().dicomAe()));
      spec.commandLine().getOut().flush();
      int[] exit = {0};
      chosen.startup().onFailure(e -> {
        if (!service.drain().draining()) { // a start-up limit, not a shutdown closing the backend
          spec.commandLine().getErr().println("spoils: " + e.getMessage());
          exit[0] = Spoils.EXIT_FAILURE;
          stopped.countDown();
        }
      });
      Thread hook = new Thread(() -> {
        try {
          AnalyzeCommand.await(Drain.stop(vertx, service, server, drainTimeout)
              .eventually(() -> backend.close()));
        } catch (Exception e) {
          // shutting down anyway
        } finally {
          service.metrics().close();
          stopped.countDown();
        }
      });
      Runtime.getRuntime().addShutdownHook(hook);
      stopped.await();
      if (exit[0] != 0) {
        stopAfterFailedStartup(hook, server, backend);
      }
      return exit[0];
    } finally {
      vertx.close();
    }
  }

  /** Closes what serve started, once its backend's start-up failed for good. */
  private static void stopAfterFailedStartup(Thread hook, SpoilsServer server,
      InferenceBackend backend) throws Exception {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      return; // the hook closes everything
    }
    AnalyzeCommand.await(server.close().eventually(backend::close));
  }

  /**
   * With the embedded backend, both models of the pipeline must be in the repository: serving
   * without them would only fail every request (Triton's models live on the Triton server, whose
   * readiness reports them).
   *
   * @throws ModelRepositoryException naming the repository and the missing model
   */
  static void checkModels(ServerOptions options, ModelRepository repository) {
    if (options.backend() != ServerOptions.Backend.EMBEDDED) {
      return;
    }
    for (String model : ModelRegistry.backendModelNames()) {
      if (repository.model(model).isEmpty()) {
        throw new ModelRepositoryException("model repository " + repository.root() + " has no "
            + model + " model (config.pbtxt and 1/model.onnx); see triton-models/README.md, or "
            + "give the repository with --models");
      }
    }
  }

  /** Waits for the embedded models to load, so that a broken model stops start-up with its reason. */
  private boolean embeddedLoaded(ServerOptions options, InferenceBackend backend) {
    if (options.backend() != ServerOptions.Backend.EMBEDDED) {
      return true;
    }
    try {
      AnalyzeCommand.await(backend.ready());
      return true;
    } catch (Exception e) {
      spec.commandLine().getErr().println("spoils: the models failed to load: " + e.getMessage());
      return false;
    }
  }

  /** As {@link #backend(Vertx, ServerOptions, TritonClientOptions, ModelRepository)} by default. */
  static ChosenBackend backend(Vertx vertx, ServerOptions options, ModelRepository repository) {
    return backend(vertx, options, TritonClientOptions.defaults(), repository);
  }

  /**
   * The backend {@code options} choose, its models checked against {@code repository}; Triton
   * reached as {@code triton} says.
   */
  static ChosenBackend backend(Vertx vertx, ServerOptions options, TritonClientOptions triton,
      ModelRepository repository) {
    BackendOptions b = options.backendOptions();
    return switch (b.backend()) {
      case EMBEDDED -> new ChosenBackend(new OnnxRuntimeBackend(vertx, repository,
          OnnxRuntimeOptions.defaults()), "onnxruntime-cpu");
      case TRITON -> {
        TritonBackend t = new TritonBackend(vertx, repository, ModelRegistry.backendModelNames(),
            TritonFlags.options(options, triton));
        yield new ChosenBackend(t, "triton", t.startup());
      }
      case SIMULATED -> new ChosenBackend(new SimulatedBackend(vertx, SimulatedOptions.of(
          b.simulatedLatencyMs(), b.simulatedJitterMs())), SimulatedBackend.LABEL);
    };
  }
}
