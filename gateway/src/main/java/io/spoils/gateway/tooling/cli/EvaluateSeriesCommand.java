package io.spoils.gateway.tooling.cli;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.pipeline.SeriesOptions;
import io.spoils.gateway.tooling.SeriesEvaluation;
import io.spoils.gateway.tooling.ServingPath;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spoils evaluate-series}: the series passes of the gateway (the centre slice whole, every
 * slice in the spine's box on a coarser grid, the measured slice whole) against segmenting every
 * slice whole, and both against the expert masks, on the validation patients' spider-t2space
 * slice sets ({@link SeriesEvaluation}): measured slice and disc volumes.
 */
@Command(
    name = "evaluate-series",
    mixinStandardHelpOptions = true,
    description = "Compare the gateway's series segmentation (in passes) with every slice "
        + "segmented whole and with the expert masks: measured slice and disc volumes.")
public final class EvaluateSeriesCommand implements Callable<Integer> {
  /** Where the figures are written by default, inside the model repository. */
  static final String DEFAULT_OUT = "evaluation/series-segmentation.json";

  @Spec private CommandSpec spec;

  @Option(names = "--t2space", required = true,
      description = "spider-t2space folder (13 slices with expert masks per patient)")
  private Path t2space;

  @Mixin private EvaluationOptions common;

  @Option(names = "--outer-mm", paramLabel = "MM", description = "grid of the outer slices, "
      + "0.8-1.0 mm (default: " + SeriesOptions.DEFAULT_OUTER_SLICE_MM + ", what serve uses)")
  private double outerMm = SeriesOptions.DEFAULT_OUTER_SLICE_MM;

  @Option(names = "--margin-mm", paramLabel = "MM", description = "margin of the spine's box "
      + "(default: " + SeriesOptions.DEFAULT_BOX_MARGIN_MM + ", what serve uses)")
  private double marginMm = SeriesOptions.DEFAULT_BOX_MARGIN_MM;

  @Option(names = "--centre-whole", description = "read the centre slice's whole map of pass 1 "
      + "in pass 2 instead of segmenting it again in the box (default: off; serve segments it "
      + "again)")
  private boolean centreWhole;

  @Option(names = "--every", paramLabel = "N", description = "keep every N-th slice of each "
      + "set, counted from its centre slice (3: 3 mm apart, as a 2D series; default 1)")
  private int every = 1;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(t2space.resolve("slices.csv"))) {
      throw new InvalidInputException("--t2space has no slices.csv");
    }
    List<SeriesEvaluation.PatientSeries> patients = SeriesEvaluation.load(t2space,
        common.validation()).stream()
        .map(p -> SeriesEvaluation.everyNth(p, every)).toList();
    if (patients.isEmpty()) {
      throw new InvalidInputException("no slice set of a validation patient was found");
    }
    Path repository = common.repository();
    PrintWriter o = spec.commandLine().getOut();
    List<SeriesEvaluation.Run[]> runs = new ArrayList<>();
    try (XgbTreeGrader trees = XgbTreeGrader.loadDefault();
        ServingPath passes = ServingPath.open(repository, trees, new SeriesOptions(outerMm,
            marginMm, SeriesOptions.DEFAULT_BOX_MIN_MM, !centreWhole));
        ServingPath whole = ServingPath.open(repository, trees, SeriesOptions.everySliceWhole())) {
      for (SeriesEvaluation.PatientSeries p : patients) {
        var files = SeriesEvaluation.dicom(p);
        runs.add(new SeriesEvaluation.Run[] {
            SeriesEvaluation.run(p, passes.analyseSeries(files)),
            SeriesEvaluation.run(p, whole.analyseSeries(files))});
      }
    }
    Map<String, Object> report = new java.util.LinkedHashMap<>();
    report.put("description", "The gateway's series passes (centre slice whole at 0.8 mm, every "
        + "slice in the spine's box (margin " + marginMm + " mm) at " + outerMm + " mm, the "
        + "measured slice whole) against every slice whole at 0.8 mm, and both against the "
        + "expert masks (the same disc pieces summed on the masks; the measured slice's map "
        + "against its mask, pooled Dice), on the validation patients' spider-t2space slice sets "
        + "(bin/spoils evaluate-series). Volume figures: mean absolute relative difference per "
        + "disc.");
    report.put("data", "SPIDER (van der Graaf et al., Sci Data 11:264, 2024), CC BY 4.0");
    report.put("split", common.split.toString());
    report.put("every_nth_slice", every);
    report.putAll(SeriesEvaluation.report(patients, runs));
    o.printf(Locale.ROOT, "reference score of the measured slice: passes %s, every slice whole "
        + "%s%n", report.get("measured_slice_reference_score_passes"),
        report.get("measured_slice_reference_score_every_slice_whole"));
    o.printf(Locale.ROOT, "measured slice's Dice (disc, vertebra, canal): passes %s, every slice "
        + "whole %s%n", report.get("measured_slice_dice_passes"),
        report.get("measured_slice_dice_every_slice_whole"));
    o.printf(Locale.ROOT, "patients %s, same measured slice %s, passes at the reference centre "
        + "%s%nvolume error vs masks: passes %s, every slice whole %s; passes vs whole %s "
        + "(%s discs)%n", report.get("patients"), report.get("same_measured_slice"),
        report.get("passes_measure_the_reference_centre_slice"),
        report.get("volume_error_passes_vs_reference"),
        report.get("volume_error_every_slice_whole_vs_reference"),
        report.get("volume_difference_passes_vs_every_slice_whole"),
        report.get("discs_compared"));
    common.write(report, DEFAULT_OUT, o);
    return 0;
  }
}
