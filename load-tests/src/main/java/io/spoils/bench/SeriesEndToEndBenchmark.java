package io.spoils.bench;

import io.spoils.feature.dicom.DicomReader;
import io.spoils.feature.dicom.DicomSlice;
import io.spoils.feature.tooling.dicom.DicomWriter;
import io.spoils.feature.tooling.dicom.MrParams;
import io.spoils.feature.tensor.FloatTensor;
import io.spoils.feature.tensor.SegmentationInput;
import io.spoils.gateway.backend.Deadline;
import io.spoils.gateway.backend.SegmentationResult;
import io.spoils.gateway.backend.OnnxRuntimeOptions;
import io.spoils.gateway.pipeline.AnalysisPipeline;
import io.spoils.gateway.pipeline.AnalysisRequest;
import io.spoils.gateway.pipeline.PipelineEvent;
import io.spoils.gateway.pipeline.PipelineSink;
import io.spoils.gateway.pipeline.SeriesOptions;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * One whole study in process, DICOM bytes to summary, with the real models of
 * {@code triton-models/}: a one-slice study against a 15-slice sagittal series, each on the
 * embedded ONNX Runtime backend (CPU) and on the Triton backend talking KServe v2 over loopback
 * gRPC to the gateway tests' in-process server ({@code KServeTestServer}, which runs the same
 * models with ONNX Runtime, same threads as the embedded defaults on 2 cores). The aim: a
 * 15-slice series costs less than 4x a one-slice study on the embedded path.
 *
 * <p>Studies ({@link #study}):
 * <ul>
 *   <li>{@code slice}: the bundled example {@code gateway/examples/spider/slice.dcm} (one
 *       512x640 slice, 7 discs);
 *   <li>{@code series15}: 15 slices built in the set-up from that example, one series (fresh UIDs,
 *       Instance Numbers 1-15, ImagePositionPatient 1 mm apart along the sagittal normal, Slice Thickness 0.9 mm, the
 *       example's pixels, TE and TR in every slice), so every slice shows the whole lumbar spine:
 *       the dearest case for the per-slice work (every slice has all its discs to name);
 *   <li>a folder: every {@code *.dcm} in it as one study (e.g. a real series).
 * </ul>
 * Volumes are asked for ({@code compute_volume}), as a client analysing a series would; a
 * one-slice study then only carries the VOLUME_NOT_COMPUTED warning. Per-stage milliseconds come
 * as {@link EndToEndBenchmark.StageCounters} (sums; divide by {@code studies}); {@link
 * #segmentModel} times the segmentation model alone on the same slices. Run from the
 * repository root: {@code bin/bench -f 1 -wi 2 -i 5 SeriesEndToEndBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class SeriesEndToEndBenchmark {

  /** Slices of the built series. */
  public static final int SERIES_SLICES = 15;
  static final Path EXAMPLE = Path.of("gateway/examples/spider/slice.dcm");

  @Param({"embedded", "triton"})
  public String backend;

  @Param({"slice", "series15"})
  public String study;

  @Param({"triton-models"})
  public String models;

  /**
   * Embedded backend only: most slices per segmentation request
   * ({@link OnnxRuntimeOptions#maxBatch()}; default {@value OnnxRuntimeOptions#DEFAULT_MAX_BATCH}),
   * e.g. {@code -p maxBatch=1,2,4} to compare.
   */
  @Param({"1"})
  public int maxBatch;

  /**
   * How the slices of a series are segmented: {@code passes} ({@link SeriesOptions#defaults()}:
   * the centre slice whole, then every slice in the spine's box, what the gateway does) or
   * {@code whole} (every slice whole, {@link SeriesOptions#everySliceWhole()}, the reference).
   */
  @Param({"passes"})
  public String outer;

  private StudyBench bench;
  private AnalysisPipeline pipeline;
  private AnalysisRequest request;
  private List<FloatTensor> segmentationInputs;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    if (!Files.isRegularFile(EXAMPLE)) {
      throw new IllegalStateException("run from the repository root: " + EXAMPLE + " not found");
    }
    request = new AnalysisRequest(files(study), Optional.empty(), true);
    DicomReader reader = DicomReader.create();
    segmentationInputs = request.files().stream()
        .map(f -> SegmentationInput.prepare(reader.read(f.data()).image())).toList();
    bench = new StudyBench(backend, Path.of(models), maxBatch, outer);
    pipeline = bench.pipeline();
    describe();
  }

  /** One study analysed before timing: says on stderr what the benchmark runs. */
  private void describe() throws Exception {
    List<PipelineEvent> events = new CopyOnWriteArrayList<>();
    await(pipeline.analyze(request, events::add));
    int slices = 0;
    int segmented = 0;
    int measured = -1;
    int discs = 0;
    int withVolume = 0;
    for (PipelineEvent e : events) {
      if (e instanceof PipelineEvent.Accepted a) {
        slices = a.series().sliceCount();
      } else if (e instanceof PipelineEvent.Segmentation s) {
        segmented = s.measuredSlice().scoresMm2().size();
        measured = s.measuredSlice().index();
      } else if (e instanceof PipelineEvent.Disc d) {
        discs++;
        withVolume += d.volumeSlices() > 0 ? 1 : 0;
      }
    }
    System.err.printf("SeriesEndToEndBenchmark: %s on %s: %d file(s), series of %d slice(s), "
        + "%d segmented, slice %d measured, %d discs (%d with a volume)%n", study, backend,
        request.files().size(), slices, segmented, measured, discs, withVolume);
  }

  /** The study's files: the example, the built series, or a folder's DICOM files. */
  static List<AnalysisRequest.DicomInput> files(String study) throws IOException {
    byte[] example = Files.readAllBytes(EXAMPLE);
    if ("slice".equals(study)) {
      return List.of(new AnalysisRequest.DicomInput("slice.dcm", example));
    }
    if (("series" + SERIES_SLICES).equals(study)) {
      return series(example, SERIES_SLICES);
    }
    Path dir = Path.of(study);
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("study: slice, series" + SERIES_SLICES
          + " or a folder of DICOM files, got " + study);
    }
    List<AnalysisRequest.DicomInput> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList()) {
        out.add(new AnalysisRequest.DicomInput(p.getFileName().toString(),
            Files.readAllBytes(p)));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no .dcm files in " + dir);
    }
    return out;
  }

  /** {@code n} slices of one new series, each with the pixels and MR timing of {@code example}. */
  static List<AnalysisRequest.DicomInput> series(byte[] example, int n) {
    DicomSlice one = DicomReader.create().read(example);
    String seriesUid = DicomWriter.newUid();
    String studyUid = DicomWriter.newUid();
    List<AnalysisRequest.DicomInput> out = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      MrParams params = new MrParams(seriesUid, studyUid, 1, k + 1, MrParams.sagittal(),
          new double[] {-k * 1.0, 0, 0}, 0.9, one.echoTimeMs(),
          one.repetitionTimeMs(), false, 1.0, 0.0);
      out.add(new AnalysisRequest.DicomInput(String.format("slice%02d.dcm", k + 1),
          DicomWriter.writeMr(one.image(), params)));
    }
    return out;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    bench.close();
  }

  /** One study, DICOM bytes to summary. */
  @Benchmark
  public PipelineEvent.Summary analyze(EndToEndBenchmark.StageCounters counters) throws Exception {
    PipelineEvent.Summary s = await(pipeline.analyze(request, PipelineSink.discard()));
    counters.add(s);
    return s;
  }

  /**
   * The segmentation model alone on the study's slices (each prepared once in the set-up), in
   * the batched requests the pipeline sends: how much of {@link #analyze} is the model, and how
   * much is the per-slice work around it (decode, preprocess, argmax, slice anatomy).
   */
  @Benchmark
  public SegmentationResult segmentModel() throws Exception {
    return await(bench.inference().segment(segmentationInputs, Deadline.after(Duration.ofMinutes(2))));
  }

  private static <T> T await(Future<T> f) throws Exception {
    return StudyBench.await(f);
  }
}
