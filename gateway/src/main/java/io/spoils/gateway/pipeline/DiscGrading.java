package io.spoils.gateway.pipeline;

import io.spoils.feature.decision.EnsembleGrade;
import io.spoils.feature.geometry.DiscGeometry;
import io.spoils.feature.geometry.SpineGeometry;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.tensor.DiscCrop;
import io.spoils.feature.tensor.FloatTensor;
import io.spoils.feature.trees.DiscFeatures;
import io.spoils.feature.trees.TreeGrade;
import io.spoils.feature.trees.TreeGrader;
import io.spoils.gateway.backend.InferenceBackend;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The grading of one study's discs ({@link AnalysisPipeline}'s last model stage): the trees on the
 * geometry (a worker task) and the CNN on the disc crops (batched backend calls) side by side,
 * then one {@link PipelineEvent.Disc} per disc, in order, each as soon as its CNN batch answered,
 * with the ensemble and the decision. Discs the {@link GradingGate} does not grade are emitted
 * measured only. One instance per analysis; its futures complete on the analysis' context.
 */
final class DiscGrading {
  private final StageRunner run;
  private final InferenceBackend backend;
  private final String backendLabel;
  private final TreeGrader trees;
  private final GradingGate gate;
  private final Decider decider;
  private final PipelineSink sink;
  /** The measured slice until its disc crops are cut; then null, so it can be collected. */
  private GreyImage image;
  private final boolean mirrored;
  private final SpineGeometry geometry;
  private final List<Integer> volumeSlices;

  record Result(List<PipelineEvent.Disc> discs, Optional<ModelUse> cnnModel) { }

  /**
   * @param image the measured slice, whose disc crops the CNN grades
   * @param mirrored whether the crops are mirrored left to right (an image with the patient's
   *     front on the right, {@link SeriesSlices#anteriorOnRight()})
   * @param geometry its discs, every one emitted (graded or not, as {@code gate} says)
   * @param volumeSlices per disc, the slices summed into its volume (0: none)
   */
  DiscGrading(StageRunner run, InferenceBackend backend, String backendLabel, TreeGrader trees,
      GradingGate gate, Decider decider, PipelineSink sink, GreyImage image, boolean mirrored,
      SpineGeometry geometry, List<Integer> volumeSlices) {
    this.run = run;
    this.backend = backend;
    this.backendLabel = backendLabel;
    this.trees = trees;
    this.gate = gate;
    this.decider = decider;
    this.sink = sink;
    this.image = image;
    this.mirrored = mirrored;
    this.geometry = geometry;
    this.volumeSlices = volumeSlices;
  }

  /** Grades and emits the discs; the result lists every disc's event, in order. */
  Future<Result> run() {
    List<DiscGeometry> gradable = geometry.discs().stream().filter(gate::grades).toList();
    var treeGrades = run.blocking(Stage.TREES, () -> GradingGate.treeGrades(trees, gradable));
    if (gradable.isEmpty()) {
      return treeGrades.compose(t -> emitAll(null, t));
    }
    return run.blocking(Stage.CNN_GRADING, () -> crops(gradable))
        .compose(crops -> {
          image = null;
          run.checkDeadline(Stage.CNN_GRADING);
          long t0 = System.nanoTime();
          CnnBatches batches = CnnBatches.send(backend, AnalysisPipeline.GRADING_MODEL, crops,
              run.deadline());
          Future.all(batches.requests()).onComplete(ar ->
              run.timer().add(Stage.CNN_GRADING, System.nanoTime() - t0));
          return treeGrades.compose(t -> emitAll(batches, t));
        });
  }

  private List<FloatTensor> crops(List<DiscGeometry> discs) {
    return discs.stream().map(d -> DiscCrop.extract(image,
        d.centroidX(), d.centroidY(), mirrored)).toList();
  }

  /** Emits the discs in order, each once its CNN batch has answered. */
  private Future<Result> emitAll(CnnBatches batches,
      List<TreeGrade> treeGrades) {
    List<PipelineEvent.Disc> out = new ArrayList<>();
    ModelUse[] cnnModel = new ModelUse[1];
    Future<Void> chain = Future.succeededFuture();
    int k = 0;
    for (DiscGeometry disc : geometry.discs()) {
      if (!gate.grades(disc)) {
        chain = chain.map(v -> emit(out, disc, null, null, null));
        continue;
      }
      int index = k++;
      chain = chain.compose(v -> batches.probabilities(index).map(p -> {
        if (cnnModel[0] == null) {
          var response = batches.requests().get(0).result();
          cnnModel[0] = new ModelUse(response.model(), Long.toString(response.version()),
              ModelUse.Role.DISC_GRADING_CNN, backendLabel);
        }
        return emit(out, disc, p, treeGrades.get(index), cnnModel[0]);
      }));
    }
    return chain.map(v -> new Result(out, Optional.ofNullable(cnnModel[0])));
  }

  private Void emit(List<PipelineEvent.Disc> out, DiscGeometry disc, float[] cnn,
      TreeGrade tree, ModelUse cnnModel) {
    long t0 = System.nanoTime();
    var ensemble = cnn == null ? Optional.<EnsembleGrade>empty()
        : Optional.of(Decider.ensemble(cnn, tree == null ? null : tree.probabilities()));
    if (cnn != null && tree == null) {
      sink.accept(GradingGate.cnnOnly(disc));
    }
    var decision = decider.decide(disc, ensemble);
    Map<String, Double> features = cnn == null ? Map.of() : features(disc);
    run.timer().add(Stage.DECISION, System.nanoTime() - t0);
    PipelineEvent.Disc event = new PipelineEvent.Disc(disc, Optional.ofNullable(cnn),
        Optional.ofNullable(cnnModel), Optional.ofNullable(tree), ensemble, decision, features,
        volumeSlices.get(out.size()));
    out.add(event);
    sink.accept(event);
    return null;
  }

  private Map<String, Double> features(DiscGeometry disc) {
    float[] row = DiscFeatures.of(disc);
    Map<String, Double> out = new LinkedHashMap<>();
    for (int i = 0; i < row.length; i++) {
      out.put(DiscFeatures.NAMES.get(i), (double) row[i]);
    }
    return out;
  }
}
