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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The gateway's CPU work for one study with a zero-cost model backend: the real
 * {@link AnalysisPipeline} (decode, preprocess, argmax of the segmentation logits, levels,
 * geometry, disc crops, trees, decision, events) on the bundled example
 * ({@code gateway/examples/spider/slice.dcm}, one 512x640 slice), with the two models' outputs
 * computed once by ONNX Runtime in {@link #setUp} and replayed ({@link ReplayBackend}).
 *
 * <p>Reports studies per second with one and two caller threads (primary score), and per stage the
 * summed milliseconds of the iteration's studies as auxiliary counters: {@code studies} counts the
 * studies, so the mean of a stage per study is {@code <stage>Ms / studies} ({@code bin/perf-report}
 * does that division). SEGMENTATION here is only the logits' argmax into a label map and
 * CNN_GRADING only the crops, since the models cost nothing.
 *
 * <p>Run from the repository root: {@code bin/bench -f 1 -wi 3 -i 5 CpuPipelineBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class CpuPipelineBenchmark {

  @Param({"gateway/examples/spider/slice.dcm"})
  public String example;

  @Param({"triton-models"})
  public String models;

  private Vertx vertx;
  private XgbTreeGrader trees;
  private AnalysisPipeline pipeline;
  private AnalysisRequest request;

  /** Summed stage milliseconds and the study count of one thread's iteration (see class doc). */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class StageSums {
    public long studies;
    public double decodeMs;
    public double preprocessMs;
    public double argmaxMs;
    public double levelsMs;
    public double geometryMs;
    public double cropsMs;
    public double treesMs;
    public double decisionMs;
    public double totalMs;

    void add(PipelineEvent.Summary s) {
      studies++;
      decodeMs += ms(s, Stage.DECODE);
      preprocessMs += ms(s, Stage.PREPROCESS);
      argmaxMs += ms(s, Stage.SEGMENTATION);
      levelsMs += ms(s, Stage.LEVELS);
      geometryMs += ms(s, Stage.GEOMETRY);
      cropsMs += ms(s, Stage.CNN_GRADING);
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
      decodeMs = preprocessMs = argmaxMs = levelsMs = geometryMs = cropsMs = treesMs = decisionMs
          = totalMs = 0;
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
    trees = XgbTreeGrader.loadDefault();
    request = new AnalysisRequest(List.of(new AnalysisRequest.DicomInput("slice.dcm",
        Files.readAllBytes(file))), Optional.empty());
    ReplayBackend recorder = ReplayBackend.recording(new OnnxRuntimeBackend(vertx,
        ModelRepository.load(repo), OnnxRuntimeOptions.defaults()));
    await(recorder.ready());
    await(new AnalysisPipeline(vertx, recorder, "onnxruntime-cpu", trees,
        PipelineOptions.defaults()).analyze(request, PipelineSink.discard()));
    await(recorder.close());
    pipeline = new AnalysisPipeline(vertx, recorder.replaying(), "replay", trees,
        PipelineOptions.defaults());
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    trees.close();
    await(vertx.close());
  }

  /** One study at a time. */
  @Benchmark
  @Threads(1)
  public PipelineEvent.Summary studies_1thread(StageSums sums) throws Exception {
    return analyze(sums);
  }

  /** Two callers, one study each at a time (the machine has two cores). */
  @Benchmark
  @Threads(2)
  public PipelineEvent.Summary studies_2threads(StageSums sums) throws Exception {
    return analyze(sums);
  }

  /**
   * Four callers on the two cores: with two, a core idles whenever its study is being handed
   * between threads (worker task, event loop, next task); four keep both busy, as a server with
   * several studies in flight does. The machine's capacity is the better of the two rates.
   */
  @Benchmark
  @Threads(4)
  public PipelineEvent.Summary studies_4threads(StageSums sums) throws Exception {
    return analyze(sums);
  }

  private PipelineEvent.Summary analyze(StageSums sums) throws Exception {
    PipelineEvent.Summary s = await(pipeline.analyze(request, PipelineSink.discard()));
    sums.add(s);
    return s;
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
  }
}
