package io.spoils.gateway.tooling;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.tooling.dicom.DicomWriter;
import io.spoils.feature.tooling.dicom.MrParams;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.ImageFiles;
import io.spoils.feature.trees.TreeGrader;
import io.spoils.gateway.backend.ModelRepository;
import io.spoils.gateway.backend.OnnxRuntimeBackend;
import io.spoils.gateway.backend.OnnxRuntimeOptions;
import io.spoils.gateway.pipeline.AnalysisPipeline;
import io.spoils.gateway.pipeline.AnalysisRequest;
import io.spoils.gateway.pipeline.ModelUse;
import io.spoils.gateway.pipeline.PipelineEvent;
import io.spoils.gateway.pipeline.PipelineOptions;
import io.spoils.gateway.pipeline.SeriesOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The serving path run on graded PNG slices: each slice is written as a one-slice sagittal MR
 * DICOM (16-bit values equal to the PNG's 0-255, its pixel spacing, its series' echo and
 * repetition time or T2 defaults) and analysed by {@link AnalysisPipeline#analyze} on the embedded
 * ONNX Runtime backend over a model repository, with the given trees: segmentation, levels,
 * geometry, CNN, trees and ensemble exactly as a served study. Not for serving: a tool for
 * training and evaluation. One slice at a time; not thread-safe.
 */
public final class ServingPath implements AutoCloseable {

  /** Echo time written when the folder gives none (a T2 timing). */
  static final double DEFAULT_ECHO_MS = 100;
  /** Repetition time written when the folder gives none. */
  static final double DEFAULT_REPETITION_MS = 3000;
  private static final long TIMEOUT_SECONDS = 300;

  private final Vertx vertx;
  private final OnnxRuntimeBackend backend;
  private final AnalysisPipeline pipeline;

  /**
   * What the pipeline said about one slice.
   *
   * @param discs the disc events, lowest first (empty when the analysis failed)
   * @param warnings the warnings
   * @param models the models named in the summary (empty when the analysis failed)
   * @param failure why the analysis failed (bad input, e.g. no spine found), if it did
   */
  public record Analysis(List<PipelineEvent.Disc> discs, List<PipelineEvent.Warning> warnings,
      List<ModelUse> models, Optional<String> failure) { }

  private ServingPath(Vertx vertx, OnnxRuntimeBackend backend, AnalysisPipeline pipeline) {
    this.vertx = vertx;
    this.backend = backend;
    this.pipeline = pipeline;
  }

  /**
   * Loads the repository's models into an embedded backend.
   *
   * @param trees the tree grader the pipeline uses; not owned
   */
  public static ServingPath open(Path models, TreeGrader trees) throws Exception {
    return open(models, trees, SeriesOptions.defaults(), false);
  }

  /**
   * As {@link #open(Path, TreeGrader)}, segmenting series as {@code series} says, with the
   * measured slice's semantic map in the segmentation event (for comparing it with masks).
   */
  public static ServingPath open(Path models, TreeGrader trees, SeriesOptions series)
      throws Exception {
    return open(models, trees, series, true);
  }

  private static ServingPath open(Path models, TreeGrader trees, SeriesOptions series,
      boolean masks) throws Exception {
    Vertx vertx = Vertx.vertx();
    OnnxRuntimeBackend backend = null;
    try {
      backend = new OnnxRuntimeBackend(vertx, ModelRepository.load(models),
          OnnxRuntimeOptions.defaults());
      await(backend.ready());
      AnalysisPipeline pipeline = new AnalysisPipeline(vertx, backend, "onnxruntime-cpu", trees,
          PipelineOptions.defaults().withTimeout(java.time.Duration.ofSeconds(TIMEOUT_SECONDS))
              .withIncludeMask(masks), series);
      return new ServingPath(vertx, backend, pipeline);
    } catch (Exception | Error e) {
      if (backend != null) {
        await(backend.close());
      }
      await(vertx.close());
      throw e;
    }
  }

  /** Analyses one graded image (imaging only: no ODI or NRS). */
  public Analysis analyse(GradedImages.GradedImage image) throws Exception {
    GreyImage grey = ImageFiles.readGrey(image.png(), image.spacing());
    double te = Double.isFinite(image.echoTimeMs()) ? image.echoTimeMs() : DEFAULT_ECHO_MS;
    double tr = Double.isFinite(image.repetitionTimeMs()) ? image.repetitionTimeMs()
        : DEFAULT_REPETITION_MS;
    return analyse(dicom(grey, te, tr));
  }

  /** Analyses one DICOM file. */
  public Analysis analyse(byte[] dicom) throws Exception {
    List<PipelineEvent.Disc> discs = new ArrayList<>();
    List<PipelineEvent.Warning> warnings = new ArrayList<>();
    AnalysisRequest request = new AnalysisRequest(List.of(new AnalysisRequest.DicomInput(
        "slice.dcm", dicom)), Optional.empty());
    try {
      PipelineEvent.Summary summary = await(pipeline.analyze(request, e -> {
        if (e instanceof PipelineEvent.Disc d) {
          discs.add(d);
        } else if (e instanceof PipelineEvent.Warning w) {
          warnings.add(w);
        }
      }));
      return new Analysis(discs, warnings, summary.models(), Optional.empty());
    } catch (InvalidInputException e) {
      return new Analysis(List.of(), warnings, List.of(), Optional.of(e.getMessage()));
    }
  }

  /**
   * Analyses the files of one series with volumes, imaging only.
   *
   * @return every event, in order
   */
  public List<PipelineEvent> analyseSeries(List<AnalysisRequest.DicomInput> files)
      throws Exception {
    List<PipelineEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    await(pipeline.analyze(new AnalysisRequest(files, Optional.empty(), true), events::add));
    return events;
  }

  /** A one-slice sagittal MR series of {@code image} with the given timing. */
  static byte[] dicom(GreyImage image, double echoMs, double repetitionMs) {
    return DicomWriter.writeMr(image, MrParams.of(DicomWriter.newUid())
        .withGeometry(MrParams.sagittal(), new double[3]).withTiming(echoMs, repetitionMs));
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS,
          TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  @Override
  public void close() throws Exception {
    try {
      await(backend.close());
    } finally {
      await(vertx.close());
    }
  }
}
