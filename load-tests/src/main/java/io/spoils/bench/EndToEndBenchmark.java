package io.spoils.bench;

import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.backend.ModelRepository;
import io.spoils.gateway.backend.OnnxRuntimeBackend;
import io.spoils.gateway.backend.OnnxRuntimeOptions;
import io.spoils.gateway.pipeline.AnalysisPipeline;
import io.spoils.gateway.pipeline.AnalysisRequest;
import io.spoils.gateway.pipeline.PipelineEvent;
import io.spoils.gateway.pipeline.PipelineOptions;
import io.spoils.gateway.pipeline.PipelineSink;
import io.spoils.gateway.pipeline.Stage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One whole study, in process: {@code spoils analyze} on the bundled example
 * ({@code gateway/examples/spider/slice.dcm}, one 512x640 slice) with the embedded ONNX Runtime
 * backend (CPU) over {@code triton-models/}, from DICOM bytes to the summary. Reports the time per
 * study, and per stage as JMH auxiliary counters ({@code decodeMs}, ... {@code totalMs}: summed
 * milliseconds; divide by the {@code studies} counter for the mean per study). Run from the
 * repository root:
 * {@code bin/bench -f 1 -wi 3 -i 5 EndToEndBenchmark}. Needs both trained models.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class EndToEndBenchmark {

  @Param({"gateway/examples/spider/slice.dcm"})
  public String example;

  @Param({"triton-models"})
  public String models;

  private Vertx vertx;
  private OnnxRuntimeBackend backend;
  private XgbTreeGrader trees;
  private AnalysisPipeline pipeline;
  private AnalysisRequest request;

  /**
   * Summed per-stage milliseconds of the iteration's studies, and their count ({@code studies}):
   * JMH adds EVENTS counters over threads and iterations, so only sums stay meaningful; the mean
   * of a stage per study is {@code <stage>Ms / studies} ({@code compare.sh} does that division).
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class StageCounters {
    public long studies;
    public double decodeMs;
    public double preprocessMs;
    public double segmentationMs;
    public double levelsMs;
    public double geometryMs;
    public double cnnGradingMs;
    public double treesMs;
    public double decisionMs;
    public double totalMs;

    void add(PipelineEvent.Summary s) {
      studies++;
      decodeMs += ms(s, Stage.DECODE);
      preprocessMs += ms(s, Stage.PREPROCESS);
      segmentationMs += ms(s, Stage.SEGMENTATION);
      levelsMs += ms(s, Stage.LEVELS);
      geometryMs += ms(s, Stage.GEOMETRY);
      cnnGradingMs += ms(s, Stage.CNN_GRADING);
      treesMs += ms(s, Stage.TREES);
      decisionMs += ms(s, Stage.DECISION);
      totalMs += ms(s, Stage.TOTAL);
    }

    private static double ms(PipelineEvent.Summary s, Stage stage) {
      return s.timings().get(stage).toNanos() / 1e6;
    }

    @Setup(Level.Iteration)
    public void reset() {
      studies = 0;
      decodeMs = preprocessMs = segmentationMs = levelsMs = geometryMs = cnnGradingMs = treesMs
          = decisionMs = totalMs = 0;
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Path file = Path.of(example);
    Path repo = Path.of(models);
    if (!Files.isRegularFile(file) || !Files.isDirectory(repo)) {
      throw new IllegalStateException("run from the repository root: " + file + " or " + repo
          + " not found");
    }
    vertx = Vertx.vertx();
    backend = new OnnxRuntimeBackend(vertx, ModelRepository.load(repo), OnnxRuntimeOptions.defaults());
    await(backend.ready());
    trees = XgbTreeGrader.loadDefault();
    pipeline = new AnalysisPipeline(vertx, backend, "onnxruntime-cpu", trees,
        PipelineOptions.defaults());
    request = new AnalysisRequest(List.of(new AnalysisRequest.DicomInput("slice.dcm",
        Files.readAllBytes(file))), Optional.empty());
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    await(backend.close());
    trees.close();
    await(vertx.close());
  }

  /** One study, DICOM bytes to summary. */
  @Benchmark
  public PipelineEvent.Summary analyze(StageCounters counters) throws Exception {
    PipelineEvent.Summary s = await(pipeline.analyze(request, PipelineSink.discard()));
    counters.add(s);
    return s;
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
  }
}
