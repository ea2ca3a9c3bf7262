package io.spoils.gateway.tooling;

import io.spoils.feature.decision.DiscClass;
import io.spoils.feature.trees.DiscFeatures;
import io.spoils.feature.tooling.trees.TrainingSample;
import io.spoils.gateway.pipeline.ModelUse;
import io.spoils.gateway.pipeline.PipelineEvent;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Labelled discs for the trees with the geometry the serving path measures: each graded image is
 * segmented and measured by the pipeline ({@link ServingPath}), its discs joined to the grades by
 * level ({@link LevelJoin}), and every joined disc whose features are all measured
 * ({@link DiscFeatures#complete}) becomes a sample, grouped by patient for cross-validation. What
 * the trees learn is therefore what they see in serving, segmentation errors included.
 *
 * @param samples the samples, in image order
 * @param training the summary recorded in model-info.json ({@code training}) and the card
 */
public record ServedTrainingSet(List<TrainingSample> samples, Map<String, Object> training) {

  /**
   * Runs every image through {@code path}; progress lines (counts, and the file name and reason of
   * each image the pipeline refused) go to {@code log}.
   */
  public static ServedTrainingSet collect(ServingPath path, List<GradedImages.GradedImage> images,
      String split, PrintWriter log) throws Exception {
    List<TrainingSample> samples = new ArrayList<>();
    Map<String, Integer> perSource = new LinkedHashMap<>();
    int failed = 0;
    int graded = 0;
    int joined = 0;
    int incomplete = 0;
    List<ModelUse> models = List.of();
    for (int i = 0; i < images.size(); i++) {
      GradedImages.GradedImage image = images.get(i);
      ServingPath.Analysis a = path.analyse(image);
      if (a.failure().isPresent()) {
        failed++;
        // the data set's file name and the pipeline's reason (no patient data in either)
        log.println("  refused " + image.png().getFileName() + ": " + a.failure().get());
      }
      models = a.models().isEmpty() ? models : a.models();
      LevelJoin.Outcome<PipelineEvent.Disc> join = LevelJoin.join(image.grades(), a.discs());
      graded += join.graded();
      joined += join.joined().size();
      for (LevelJoin.Joined<PipelineEvent.Disc> j : join.joined()) {
        if (!DiscFeatures.complete(j.disc().geometry())) {
          incomplete++;
          continue;
        }
        samples.add(new TrainingSample(image.patient(), image.source().name() + "/"
            + j.ivdLabel(), j.disc().geometry(), j.reference()));
        perSource.merge(image.source().label(), 1, Integer::sum);
      }
      if ((i + 1) % 20 == 0 || i + 1 == images.size()) {
        log.printf(Locale.ROOT, "  %d/%d images, %d samples%n", i + 1, images.size(),
            samples.size());
        log.flush();
      }
    }
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("dataset", "SPIDER lumbar spine MRI: spider-midsag T2 TSE and T2 SPACE mid-sagittal "
        + "renders and spider-t2space T2 SPACE centre slices, training patients of the split");
    t.put("citation", "J.W. van der Graaf et al., Lumbar spine segmentation in MR images: a "
        + "dataset and a public benchmark, Scientific Data 11:264 (2024)");
    t.put("licence", "CC BY 4.0");
    t.put("inputs", "geometry measured by the serving path (bin/spoils evaluate-grading's "
        + "pipeline): the segmentation model's own output, levels and geometry, on each image");
    t.put("split", split);
    t.put("segmentation_model", models.stream().filter(m -> m.role() == ModelUse.Role.SEGMENTATION)
        .map(m -> m.name() + " " + m.version()).findFirst().orElse("unknown"));
    t.put("patients", images.stream().map(GradedImages.GradedImage::patient).distinct().count());
    t.put("patients_used", samples.stream().map(TrainingSample::group).distinct().count());
    t.put("images", images.size());
    t.put("images_failed", failed);
    t.put("graded_discs", graded);
    t.put("matched_discs", samples.size());
    t.put("joined_discs", joined);
    t.put("joined_discs_incomplete", incomplete);
    t.put("samples_per_source", perSource);
    Map<String, Integer> counts = new LinkedHashMap<>();
    DiscClass.ordered().forEach(c -> counts.put(c.label(), 0));
    samples.forEach(s -> counts.merge(s.label().label(), 1, Integer::sum));
    t.put("class_counts", counts);
    t.put("label_rule", "Pfirrmann from SPIDER; severity by the project's severity rule");
    t.put("notes", List.of(
        (graded - joined) + " graded discs not found at their level by the serving path",
        incomplete + " joined discs with an unmeasured feature left out (the trees never see NaN)",
        failed + " images the pipeline refused (no spine found or field of view out of range)"));
    return new ServedTrainingSet(List.copyOf(samples), t);
  }
}
