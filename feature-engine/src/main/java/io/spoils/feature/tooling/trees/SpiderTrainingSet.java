package io.spoils.feature.tooling.trees;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.decision.DiscClass;
import io.spoils.feature.decision.RadiologicalFindings;
import io.spoils.feature.decision.SeverityRule;
import io.spoils.feature.geometry.DiscGeometry;
import io.spoils.feature.geometry.SpineGeometry;
import io.spoils.feature.geometry.SpineMeasurer;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.ImageFiles;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelSpacing;
import io.spoils.feature.trees.DiscFeatures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Labelled discs from the SPIDER development subset ({@code slices.csv}, {@code series.csv},
 * {@code gradings.csv}, {@code masks/} and {@code images/} PNGs named {@code PPP_sliceSS.png}).
 *
 * <p>Each patient's centre slice ({@code is_center=1}) is measured mask-with-image; its discs,
 * ordered from the lowest, are matched to the graded discs by {@code ivd_label}: label 1 is the
 * lowest regular disc, so it is the lowest measured disc, unless the patient has a label 0 (an
 * extra lower disc in transitional anatomy), which is then the lowest measured disc. The class comes
 * from the findings by {@link SeverityRule}. Graded discs without a measured counterpart, or whose
 * features are not all measured ({@link DiscFeatures#complete}), are counted, not guessed.
 *
 * @param samples labelled discs, patients in ascending order, discs from the lowest upward
 * @param summary what was read and what was left out (counts only, no patient identifiers)
 */
public record SpiderTrainingSet(List<TrainingSample> samples, Summary summary) {

  /**
   * Counts describing the data behind a training run.
   *
   * @param patients patients with gradings
   * @param patientsUsed patients whose centre slice could be measured
   * @param gradedDiscs graded discs of all patients
   * @param matchedDiscs graded discs matched to a measured disc (the samples)
   * @param classCounts samples per class label, DiscClass order (absent classes as 0)
   * @param notes sentences about what was skipped and why (no patient identifiers)
   */
  public record Summary(int patients, int patientsUsed, int gradedDiscs, int matchedDiscs,
      Map<String, Integer> classCounts, List<String> notes) {

    /** The summary as recorded under {@code training} in model-info.json (read by the card). */
    public Map<String, Object> toTrainingMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("dataset", "SPIDER lumbar spine MRI, development subset (T2 SPACE, centre slices)");
      m.put("citation", "J.W. van der Graaf et al., Lumbar spine segmentation in MR images: a "
          + "dataset and a public benchmark, Scientific Data 11:264 (2024)");
      m.put("licence", "CC BY 4.0");
      m.put("patients", patients);
      m.put("patients_used", patientsUsed);
      m.put("graded_discs", gradedDiscs);
      m.put("matched_discs", matchedDiscs);
      m.put("class_counts", classCounts);
      m.put("label_rule", "Pfirrmann from SPIDER; severity by the project's severity rule");
      m.put("notes", notes);
      return m;
    }
  }

  /** Loads and measures the data set in {@code dir}. */
  public static SpiderTrainingSet load(Path dir, SpineMeasurer measurer) {
    if (dir == null || !Files.isDirectory(dir)) {
      throw new InvalidInputException("data directory does not exist");
    }
    for (String sub : List.of("masks", "images")) {
      if (!Files.isDirectory(dir.resolve(sub))) {
        throw new InvalidInputException("data directory has no " + sub + "/ folder");
      }
    }
    Map<Integer, Integer> centreSlice = centreSlices(dir);
    Map<Integer, PixelSpacing> spacing = spacings(dir);
    Map<Integer, Map<Integer, DiscClass>> graded = gradings(dir);
    List<TrainingSample> samples = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    int used = 0;
    int gradedCount = 0;
    for (Map.Entry<Integer, Map<Integer, DiscClass>> patient : graded.entrySet()) {
      gradedCount += patient.getValue().size();
      List<TrainingSample> matched = measurePatient(dir, patient.getKey(), patient.getValue(),
          centreSlice, spacing, measurer, notes);
      used += matched.isEmpty() ? 0 : 1;
      samples.addAll(matched);
    }
    if (samples.isEmpty()) {
      throw new InvalidInputException("no graded disc could be measured in the data directory");
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    DiscClass.ordered().forEach(c -> counts.put(c.label(), 0));
    samples.forEach(s -> counts.merge(s.label().label(), 1, Integer::sum));
    return new SpiderTrainingSet(List.copyOf(samples), new Summary(graded.size(), used,
        gradedCount, samples.size(), counts, summarise(notes)));
  }

  private static List<TrainingSample> measurePatient(Path dir, int patient,
      Map<Integer, DiscClass> byLabel, Map<Integer, Integer> centreSlice,
      Map<Integer, PixelSpacing> spacing, SpineMeasurer measurer, List<String> notes) {
    Integer slice = centreSlice.get(patient);
    PixelSpacing px = spacing.get(patient);
    if (slice == null || px == null) {
      notes.add("patient without a centre slice or pixel spacing skipped");
      return List.of();
    }
    String file = String.format("%03d_slice%d.png", patient, slice);
    SpineGeometry geometry;
    try {
      LabelMap mask = ImageFiles.readMask(dir.resolve("masks").resolve(file), px);
      GreyImage image = ImageFiles.readGrey(dir.resolve("images").resolve(file), px);
      geometry = measurer.measure(mask, image);
    } catch (InvalidInputException e) {
      notes.add("centre slice not measurable, patient skipped: " + e.getMessage());
      return List.of();
    }
    List<DiscGeometry> discs = new ArrayList<>(geometry.discs());
    discs.sort(Comparator.comparingInt(DiscGeometry::indexFromBottom));
    int offset = byLabel.containsKey(0) ? 0 : 1;
    List<TrainingSample> out = new ArrayList<>();
    for (Map.Entry<Integer, DiscClass> g : byLabel.entrySet()) {
      int index = g.getKey() - offset;
      if (index < 0 || index >= discs.size()) {
        notes.add("graded disc without a measured disc on the centre slice skipped");
        continue;
      }
      if (!DiscFeatures.complete(discs.get(index))) {
        notes.add("graded disc with an unmeasured feature (partial disc or missing neighbour) "
            + "skipped");
        continue;
      }
      out.add(new TrainingSample(Integer.toString(patient), Integer.toString(g.getKey()),
          discs.get(index), g.getValue()));
    }
    return out;
  }

  private static Map<Integer, Integer> centreSlices(Path dir) {
    CsvTable t = CsvTable.read(dir.resolve("slices.csv"), "patient", "slice", "is_center");
    Map<Integer, Integer> centre = new HashMap<>();
    for (int r = 0; r < t.size(); r++) {
      if (t.integer(r, "is_center") == 1
          && centre.put(t.integer(r, "patient"), t.integer(r, "slice")) != null) {
        throw new InvalidInputException("slices.csv has two centre slices for one patient");
      }
    }
    return centre;
  }

  private static Map<Integer, PixelSpacing> spacings(Path dir) {
    CsvTable t = CsvTable.read(dir.resolve("series.csv"), "patient", "pixel_spacing_row_mm",
        "pixel_spacing_col_mm");
    Map<Integer, PixelSpacing> spacing = new HashMap<>();
    for (int r = 0; r < t.size(); r++) {
      try {
        spacing.put(t.integer(r, "patient"), new PixelSpacing(
            t.number(r, "pixel_spacing_row_mm"), t.number(r, "pixel_spacing_col_mm")));
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException("series.csv row " + (r + 2) + " has an invalid spacing");
      }
    }
    return spacing;
  }

  /**
   * The reference classes of {@code dir/gradings.csv} (SPIDER columns; severity by
   * {@link SeverityRule}): patient -&gt; (ivd_label -&gt; class), both sorted ascending.
   */
  public static Map<Integer, Map<Integer, DiscClass>> gradings(Path dir) {
    CsvTable t = CsvTable.read(dir.resolve("gradings.csv"), "patient", "ivd_label", "modic",
        "upper_endplate", "lower_endplate", "spondylolisthesis", "herniation", "narrowing",
        "bulging", "pfirrmann");
    Map<Integer, Map<Integer, DiscClass>> graded = new TreeMap<>();
    for (int r = 0; r < t.size(); r++) {
      RadiologicalFindings f;
      try {
        f = new RadiologicalFindings(t.integer(r, "modic"), t.integer(r, "upper_endplate"),
            t.integer(r, "lower_endplate"), t.integer(r, "spondylolisthesis"),
            t.integer(r, "herniation"), t.integer(r, "narrowing"), t.integer(r, "bulging"),
            t.integer(r, "pfirrmann"));
      } catch (InvalidInputException e) {
        throw new InvalidInputException("gradings.csv row " + (r + 2) + ": " + e.getMessage());
      }
      graded.computeIfAbsent(t.integer(r, "patient"), p -> new TreeMap<>())
          .put(t.integer(r, "ivd_label"), SeverityRule.classify(f));
    }
    if (graded.isEmpty()) {
      throw new InvalidInputException("gradings.csv has no graded disc");
    }
    return graded;
  }

  /** Identical notes collapsed into "note (n times)". */
  private static List<String> summarise(List<String> notes) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    notes.forEach(n -> counts.merge(n, 1, Integer::sum));
    List<String> out = new ArrayList<>();
    counts.forEach((n, c) -> out.add(c == 1 ? n : n + " (" + c + " times)"));
    return out;
  }
}
