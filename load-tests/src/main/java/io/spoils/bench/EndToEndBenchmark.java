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
 * study, and per stage as JMH auxiliary counters ({@code decodeMs}, ... {@code totalMs}: the sum of
 * the stage's milliseconds over the iteration's studies, divided by the study count in the
 * "ops" column, i.e. read them as mean ms per study). Run from the repository root:
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
   * Mean per-stage milliseconds per study over the iteration (EVENTS counters are reported as they
   * stand at the end of the iteration; the benchmark is single-threaded, so that is the mean).
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class StageCounters {
    public double decodeMs;
    public double preprocessMs;
    public double segmentationMs;
    public double levelsMs;
    public double geometryMs;
    public double cnnGradingMs;
    public double treesMs;
    public double decisionMs;
    public double totalMs;

    private final double[] sums = new double[Stage.values().length];
    private long studies;

    void add(PipelineEvent.Summary s) {
      studies++;
      for (Stage stage : Stage.values()) {
        sums[stage.ordinal()] += s.timings().get(stage).toNanos() / 1e6;
      }
      decodeMs = mean(Stage.DECODE);
      preprocessMs = mean(Stage.PREPROCESS);
      segmentationMs = mean(Stage.SEGMENTATION);
      levelsMs = mean(Stage.LEVELS);
      geometryMs = mean(Stage.GEOMETRY);
      cnnGradingMs = mean(Stage.CNN_GRADING);
      treesMs = mean(Stage.TREES);
      decisionMs = mean(Stage.DECISION);
      totalMs = mean(Stage.TOTAL);
    }

    private double mean(Stage stage) {
      return sums[stage.ordinal()] / studies;
    }

    @Setup(Level.Iteration)
    public void reset() {
      java.util.Arrays.fill(sums, 0);
      studies = 0;
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
