package io.spoils.gateway.pipeline;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.anatomy.DiscLevel;
import io.spoils.feature.decision.ClinicalScores;
import io.spoils.feature.decision.LevelGrade;
import io.spoils.feature.decision.TreatmentRule;
import io.spoils.feature.geometry.DiscGeometry;
import io.spoils.feature.geometry.SliceAnatomy;
import io.spoils.feature.geometry.SpineGeometry;
import io.spoils.feature.geometry.SpineMeasurer;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.levels.AnatomyMaps;
import io.spoils.feature.levels.SpineLevels;
import io.spoils.feature.tensor.FloatTensor;
import io.spoils.feature.trees.TreeGrader;
import io.spoils.gateway.backend.BackendException;
import io.spoils.gateway.backend.BackendStatus;
import io.spoils.gateway.backend.Deadline;
import io.spoils.gateway.backend.InferenceBackend;
import io.spoils.gateway.backend.SegmentationResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The in-process analysis of one study, as a chain of Vert.x futures:
 * decode -&gt; preprocess -&gt; segmentation ({@value #SEGMENTATION_MODEL}, every slice of the
 * series, in batched passes) -&gt; choice of the measured slice -&gt; levels -&gt; geometry (and disc volumes
 * across the slices when asked for) -&gt; CNN grading ({@value #GRADING_MODEL}, all discs batched)
 * with the trees alongside -&gt; decision. Events go to a {@link PipelineSink} as soon as they are
 * ready (see {@link PipelineEvent} for their order); a disc's event leaves as soon as its CNN batch
 * answered.
 *
 * <p>A series of several slices is segmented in passes ({@link SeriesSegmenter}): the centre
 * slice whole, every slice in the box where the spine is, and the measured slice whole again when
 * anatomy chooses another one ({@link SeriesMeasures}). Only the measured slice gets level
 * labelling, geometry and grading ({@link DiscGrading}); the others are read once each for their
 * canal area and disc pieces (and, with {@link AnalysisRequest#computeVolume()}, their discs'
 * pixels).
 *
 * <p>Threading: blocking work (DICOM decoding, tensor pre/post-processing, level labelling,
 * geometry, trees) runs on Vert.x worker threads ({@code executeBlocking}, unordered, so studies run
 * side by side); model calls are the backend's asynchronous calls; the sink, the per-disc decisions
 * (microseconds) and the chaining run on the caller's context. Instances are thread-safe and
 * serve any number of concurrent analyses.
 *
 * <p>Deadline and cancellation: each analysis gets {@code Deadline.after(options.timeout())} when it
 * starts, or the caller's earlier deadline ({@link AnalysisControl}); every backend call carries it,
 * and a stage that would start after it fails the analysis with a {@link BackendException} of
 * status {@code DEADLINE_EXCEEDED}. Once the caller's {@link Cancellation} is cancelled, no further
 * stage starts and no further backend call is made: the analysis fails with
 * {@link AnalysisCancelledException} at the next stage boundary.
 *
 * <p>Failures: bad input fails the returned future with {@link InvalidInputException} (never a
 * partial result: no summary is sent); backend failures with {@link BackendException}; model faults
 * with {@link IllegalStateException} or {@link IllegalArgumentException}.
 */
public final class AnalysisPipeline {
  /**
   * Below this largest disc area (mm²) the image holds no spine: noise or another body part gives
   * specks of disc class, a sagittal lumbar slice discs of a few hundred mm².
   */
  static final double MIN_SPINE_DISC_AREA_MM2 = 120.0;


  /** Segmentation model name in the model repository. */
  public static final String SEGMENTATION_MODEL = "spine_segmentation";
  /** Disc grading model name in the model repository. */
  public static final String GRADING_MODEL = "disc_grading";

  private final Vertx vertx;
  private final InferenceBackend backend;
  private final String backendLabel;
  private final TreeGrader trees;
  private final PipelineOptions options;
  private final SeriesOptions seriesOptions;
  private final StudyDecoder decoder = new StudyDecoder();
  private final SpineMeasurer measurer;
  private final TreatmentRule rule;

  /**
   * @param backend runs the two models; not owned (the caller closes it)
   * @param backendLabel where the models run, for the summary (e.g. {@code onnxruntime-cpu})
   * @param trees the tree grader; not owned
   */
  public AnalysisPipeline(Vertx vertx, InferenceBackend backend, String backendLabel,
      TreeGrader trees, PipelineOptions options) {
    this(vertx, backend, backendLabel, trees, options, SeriesOptions.defaults());
  }

  /**
   * As above, with how the outer slices of a series are segmented.
   *
   * @param seriesOptions {@link SeriesOptions#defaults()} unless an evaluation compares them
   */
  public AnalysisPipeline(Vertx vertx, InferenceBackend backend, String backendLabel,
      TreeGrader trees, PipelineOptions options, SeriesOptions seriesOptions) {
    this.seriesOptions = Objects.requireNonNull(seriesOptions, "seriesOptions");
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.backend = Objects.requireNonNull(backend, "backend");
    this.backendLabel = Objects.requireNonNull(backendLabel, "backendLabel");
    this.trees = Objects.requireNonNull(trees, "trees");
    this.options = Objects.requireNonNull(options, "options");
    this.measurer = SpineMeasurer.of(options.geometry());
    this.rule = new TreatmentRule(options.treatment());
  }

  public PipelineOptions options() {
    return options;
  }

  /**
   * Analyses one study. May be called from any thread; events and the result are delivered on the
   * caller's Vert.x context (a new event-loop context when called from outside Vert.x).
   *
   * @return the summary (also sent to {@code sink} as the last event), or the failure
   */
  public Future<PipelineEvent.Summary> analyze(AnalysisRequest request, PipelineSink sink) {
    return analyze(request, sink, AnalysisControl.none());
  }

  /**
   * As {@link #analyze(AnalysisRequest, PipelineSink)}, bounded by the caller's deadline (the
   * earlier of it and the configured timeout applies) and stopped by its cancellation.
   */
  public Future<PipelineEvent.Summary> analyze(AnalysisRequest request, PipelineSink sink,
      AnalysisControl control) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(control, "control");
    Context context = vertx.getOrCreateContext();
    Promise<PipelineEvent.Summary> promise = Promise.promise();
    context.runOnContext(v -> new Run(request, sink, context, control).start()
        .onComplete(promise));
    return promise.future();
  }

  /** The state of one analysis; its fields are written by one stage and read by later ones. */
  private final class Run implements StageRunner {
    /** The request until its files are decoded; then null, so their bytes can be collected. */
    private AnalysisRequest request;
    private final Optional<ClinicalScores> scores;
    private final PipelineSink sink;
    private final Context context;
    private final StageTimer timer = new StageTimer();
    private final Deadline deadline;
    private final long budgetMillis;
    private final Cancellation cancellation;
    private final Decider decider;
    private final boolean computeVolume;
    private GreyImage image;
    private SeriesSlices series;
    private SeriesSegmenter segmenter;
    /** Whether the disc crops are mirrored for the grading model (front on the right). */
    private boolean mirroredCrops;
    private int seriesSize;
    private LabelMap semantic;
    private SpineLevels levels;
    /** Which discs are graded, and by which graders; set once the series is known. */
    private GradingGate gate;
    private volatile ModelUse segmentationModel;

    Run(AnalysisRequest request, PipelineSink sink, Context context, AnalysisControl control) {
      this.request = request;
      this.scores = request.scores();
      this.sink = sink;
      this.context = context;
      Deadline own = Deadline.after(options.timeout());
      this.deadline = control.deadline()
          .filter(caller -> caller.nanoTime() - own.nanoTime() < 0).orElse(own);
      this.budgetMillis = deadline.remaining().toMillis();
      this.cancellation = control.cancellation();
      this.decider = new Decider(rule, request.scores());
      this.computeVolume = request.computeVolume();
    }

    // Consecutive CPU stages run in one worker task (each still checked and timed as its own
    // stage): every return to the event loop between them costs two thread hops and leaves a core
    // idle while the next task is handed over.
    Future<PipelineEvent.Summary> start() {
      return blockingSteps(Stage.DECODE, () -> {
        StudyDecoder.Decoded decoded = inline(Stage.DECODE,
            () -> decoder.decode(request.files(), computeVolume, deadline, cancellation));
        request = null;
        series = decoded.series();
        mirroredCrops = series.anteriorOnRight();
        seriesSize = decoded.accepted().series().sliceCount();
        segmenter = new SeriesSegmenter(this, backend, series, seriesSize, seriesOptions);
        return new Decoded(decoded, inline(Stage.PREPROCESS, segmenter::centreInput));
      })
          .compose(d -> {
            sink.accept(d.study().accepted());
            d.study().warnings().forEach(sink::accept);
            gate = GradingGate.of(d.study().accepted().series());
            gate.sequenceWarning().ifPresent(sink::accept);
            if (scores.isEmpty()) {
              sink.accept(new PipelineEvent.Warning("SCORES_MISSING", "No ODI or NRS was given: "
                  + "the strata assume scores that are not high, so no surgical consultation is "
                  + "suggested.", Optional.empty()));
            }
            backend.studyWarnings().forEach(w -> sink.accept(Warnings.of(w, "BACKEND")));
            return segment(d.inputs());
          })
          .map(this::segmentationDone)
          .compose(a -> new DiscGrading(this, backend, backendLabel, trees, gate, decider, sink,
              takeImage(), mirroredCrops, a.geometry(), a.volumeSlices()).run())
          .map(discs -> summary(discs));
    }

    /**
     * What the segmentation stage and the CPU stages after it found.
     *
     * @param anatomy the 14-class map when masks were asked for, else null
     * @param volumeSlices per disc, the slices summed into its volume (0: none)
     * @param warnings why volumes are missing, when they were asked for and are
     */
    private record Anatomy(LabelMap anatomy, SpineGeometry geometry,
        PipelineEvent.MeasuredSlice measuredSlice, List<Integer> volumeSlices,
        List<PipelineEvent.Warning> warnings) { }

    /** The decoded study and the centre slice's segmentation input. */
    private record Decoded(StudyDecoder.Decoded study, List<FloatTensor> inputs) { }

    private Future<Anatomy> segment(List<FloatTensor> centreInput) {
      return segmenter.segment(centreInput).compose(segmented -> {
        SegmentationResult result = segmented.model();
        segmentationModel = new ModelUse(result.model(), Long.toString(result.version()),
            ModelUse.Role.SEGMENTATION, backendLabel);
        return blockingSteps(Stage.LEVELS, () -> measure(segmented));
      });
    }

    /** The measured slice's levels and geometry (and volumes). */
    private Anatomy measure(SeriesSegmenter.Segmented segmented) throws Exception {
      PipelineEvent.MeasuredSlice measured = segmented.measured();
      List<SliceAnatomy> anatomies = segmented.anatomies();
      int chosen = measured.index() - series.offset();
      image = series.images().get(chosen);
      LabelMap map = segmented.measuredMap();
      segmenter = null;
      // kept past the levels stage only when the client asked for the masks
      semantic = options.includeMask() ? map : null;
      LabelMap anatomy = inline(Stage.LEVELS, () -> levels(map));
      SpineGeometry geometry = inline(Stage.GEOMETRY, () -> measurer.measure(levels, image));
      SeriesMeasures.Volumes volumes = computeVolume ? inline(Stage.GEOMETRY,
          () -> SeriesMeasures.volumes(geometry, series, anatomies, chosen)) : null;
      series = null;
      return volumes == null
          ? new Anatomy(anatomy, geometry, measured, geometry.discs().stream().map(d -> 0).toList(),
              List.of())
          : new Anatomy(anatomy, volumes.geometry(), measured, volumes.volumeSlices(),
              volumes.warnings());
    }

    /** Level labelling; the 14-class map when masks were asked for (else null). */
    private LabelMap levels(LabelMap map) {
      try {
        levels = measurer.label(map);
      } catch (InvalidInputException e) {
        throw new InvalidInputException("no spine found in the image: the segmentation found no "
            + "intervertebral disc" + notHeadUpHint(), e);
      }
      double largest = levels.discs().stream().mapToDouble(d -> d.region().areaMm2()).max()
          .orElse(0);
      if (largest < MIN_SPINE_DISC_AREA_MM2) {
        // A segmentation of noise or of another body part leaves specks labelled disc; a sagittal
        // lumbar slice shows discs of a few hundred mm² (even a collapsed L5-S1 keeps over 100).
        throw new InvalidInputException("no spine found in the image: no segmented disc reaches "
            + "the size of a lumbar disc (" + (int) MIN_SPINE_DISC_AREA_MM2 + " mm²)"
            + notHeadUpHint());
      }
      return options.includeMask() ? AnatomyMaps.anatomy14(map, levels) : null;
    }

    /** A "no spine found" error's hint when the images are not stored head up, else empty. */
    private String notHeadUpHint() {
      return series.headUp() ? "" : ". " + StudyDecoder.NOT_HEAD_UP_MESSAGE;
    }

    private Anatomy segmentationDone(Anatomy a) {
      SpineGeometry geometry = a.geometry();
      sink.accept(new PipelineEvent.Segmentation(
          geometry.discs().stream().map(DiscGeometry::level).toList(),
          levels.vertebrae().stream().map(v -> v.level()).toList(), geometry.vertebrae(),
          options.includeMask() ? Optional.of(semantic) : Optional.empty(),
          Optional.ofNullable(a.anatomy()), a.measuredSlice()));
      geometry.warnings().forEach(w -> sink.accept(Warnings.of(w, "GEOMETRY")));
      a.warnings().forEach(sink::accept);
      return a;
    }

    private PipelineEvent.Summary summary(DiscGrading.Result result) {
      long t0 = System.nanoTime();
      List<LevelGrade> grades = result.discs().stream()
          .map(d -> new LevelGrade(d.level(), d.ensemble().map(e -> e.discClass()).orElse(null)))
          .toList();
      var decision = decider.decideStudy(grades);
      PipelineEvent.Disc worst = null;
      for (PipelineEvent.Disc d : result.discs()) {
        if (d.graded() && d.level() != DiscLevel.THORACIC && (worst == null
            || d.ensemble().get().discClass().ordinal() > worst.ensemble().get().discClass().ordinal())) {
          worst = d;
        }
      }
      timer.add(Stage.DECISION, System.nanoTime() - t0);
      List<ModelUse> models = new ArrayList<>();
      models.add(segmentationModel);
      result.cnnModel().ifPresent(models::add);
      models.add(new ModelUse(trees.info().name(), trees.info().version(),
          ModelUse.Role.DISC_GRADING_TREES, "xgboost"));
      Optional<PipelineEvent.Disc> w = Optional.ofNullable(worst);
      PipelineEvent.Summary summary = new PipelineEvent.Summary(decision,
          w.map(PipelineEvent.Disc::level), w.map(d -> d.ensemble().get().discClass()),
          scores, timer.snapshot(), models,
          (int) result.discs().stream().filter(PipelineEvent.Disc::graded).count());
      sink.accept(summary);
      return summary;
    }

    /** The measured slice's pixels, handed to the grading (which drops them after its crops). */
    private GreyImage takeImage() {
      GreyImage taken = image;
      image = null;
      return taken;
    }

    /**
     * Runs {@code steps} on a worker thread after a deadline check for {@code first}; each step
     * inside checks and times itself with {@link #inline}.
     */
    @Override
    public <T> Future<T> blockingSteps(Stage first, Callable<T> steps) {
      try {
        checkDeadline(first);
      } catch (BackendException | AnalysisCancelledException e) {
        return Future.failedFuture(e);
      }
      return context.executeBlocking(steps, false);
    }

    /** Runs {@code task} on this (worker) thread as {@code stage}, checked and timed as such. */
    @Override
    public <T> T inline(Stage stage, Callable<T> task) throws Exception {
      checkDeadline(stage);
      long t0 = System.nanoTime();
      try {
        return task.call();
      } finally {
        timer.add(stage, System.nanoTime() - t0);
      }
    }

    /** The stage boundary: the deadline first (so a timed-out caller hears so), then cancellation. */
    @Override
    public void checkDeadline(Stage stage) {
      // the stage's name only when a message needs it: this runs twice per stage of every study
      if (deadline.expired()) {
        throw new BackendException(BackendStatus.DEADLINE_EXCEEDED, "the analysis deadline of "
            + budgetMillis + " ms passed before " + stageName(stage));
      }
      if (cancellation.isCancelled()) {
        cancellation.check(stageName(stage));
      }
    }

    private static String stageName(Stage stage) {
      return "the " + stage.name().toLowerCase(Locale.ROOT) + " stage";
    }

    @Override
    public StageTimer timer() {
      return timer;
    }

    @Override
    public Deadline deadline() {
      return deadline;
    }
  }
}
