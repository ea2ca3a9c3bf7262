package io.spoils.bench;

import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.backend.InferenceBackend;
import io.spoils.gateway.backend.ModelRepository;
import io.spoils.gateway.backend.OnnxRuntimeBackend;
import io.spoils.gateway.backend.OnnxRuntimeOptions;
import io.spoils.gateway.backend.triton.InProcessKServe;
import io.spoils.gateway.backend.triton.TritonBackend;
import io.spoils.gateway.backend.triton.TritonOptions;
import io.spoils.gateway.pipeline.AnalysisPipeline;
import io.spoils.gateway.pipeline.PipelineOptions;
import io.spoils.gateway.pipeline.SeriesOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real pipeline in process with the models of a repository, on the embedded ONNX Runtime
 * backend or on the Triton backend talking KServe v2 over loopback gRPC to the in-process server
 * ({@link InProcessKServe}): what {@link SeriesEndToEndBenchmark} and {@link SeriesRatioHarness}
 * time. {@link #close} releases all of it.
 */
final class StudyBench implements AutoCloseable {

  private final Vertx vertx;
  private final InProcessKServe server;
  private final InferenceBackend inference;
  private final XgbTreeGrader trees;
  private final AnalysisPipeline pipeline;

  /**
   * @param backend {@code embedded} or {@code triton}
   * @param models the model repository ({@code triton-models})
   * @param maxBatch embedded only: {@link OnnxRuntimeOptions#maxBatch()}
   * @param outer {@code passes} ({@link SeriesOptions#defaults()}) or {@code whole}
   *     ({@link SeriesOptions#everySliceWhole()})
   */
  StudyBench(String backend, Path models, int maxBatch, String outer) throws Exception {
    if (!Files.isDirectory(models)) {
      throw new IllegalStateException("run from the repository root: " + models + " not found");
    }
    SeriesOptions series = switch (outer) {
      case "passes" -> SeriesOptions.defaults();
      case "whole" -> SeriesOptions.everySliceWhole();
      default -> throw new IllegalArgumentException("outer: passes or whole, got " + outer);
    };
    vertx = Vertx.vertx();
    ModelRepository repository = ModelRepository.load(models);
    String label;
    switch (backend) {
      case "embedded" -> {
        OnnxRuntimeOptions d = OnnxRuntimeOptions.defaults();
        server = null;
        inference = new OnnxRuntimeBackend(vertx, repository, new OnnxRuntimeOptions(
            d.intraOpThreads(), d.workers(), d.queueCapacity(), maxBatch));
        label = "onnxruntime-cpu";
      }
      case "triton" -> {
        server = await(InProcessKServe.start(vertx, repository));
        inference = new TritonBackend(vertx, repository,
            List.of(AnalysisPipeline.SEGMENTATION_MODEL, AnalysisPipeline.GRADING_MODEL),
            TritonOptions.of("127.0.0.1", server.port()));
        label = "triton";
      }
      default -> throw new IllegalArgumentException("backend: embedded or triton, got " + backend);
    }
    await(inference.ready());
    trees = XgbTreeGrader.loadDefault();
    pipeline = new AnalysisPipeline(vertx, inference, label, trees, PipelineOptions.defaults(),
        series);
  }

  AnalysisPipeline pipeline() {
    return pipeline;
  }

  InferenceBackend inference() {
    return inference;
  }

  @Override
  public void close() throws Exception {
    await(inference.close());
    if (server != null) {
      await(server.close());
    }
    trees.close();
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
  }
}
