package io.spoils.gateway.tooling;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.tooling.dicom.DicomWriter;
import io.spoils.feature.tooling.dicom.MrParams;
import io.spoils.feature.geometry.DiscGeometry;
import io.spoils.feature.geometry.DiscVolumes;
import io.spoils.feature.geometry.MidSagittalSlice;
import io.spoils.feature.geometry.SliceAnatomy;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.ImageFiles;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelSpacing;
import io.spoils.gateway.pipeline.AnalysisRequest;
import io.spoils.gateway.pipeline.PipelineEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How the series passes ({@code SeriesSegmenter}) compare with segmenting every slice whole and
 * with the experts, on the spider-t2space patients' 13-slice sets: each set is written as one
 * sagittal MR series (slice positions from the folder's spacing between slices) and analysed with
 * volumes by two serving paths; per patient the measured slice of each and the folder's centre
 * slice (largest reference canal); per disc (by level) the volume of each and the reference volume,
 * the same disc pieces summed on the expert masks ({@link DiscVolumes} over the masks' anatomy,
 * from the run's own measured discs). A measured slice is also judged by its score on the expert
 * masks over the best such score (1: the reference's own choice or a tie with it). Not for
 * serving.
 */
public final class SeriesEvaluation {

  /** One patient's slices, spatial order. */
  public record PatientSeries(int patient, List<GreyImage> images, List<LabelMap> masks,
      int referenceCentre, double spacingMm) { }

  /**
   * One run's view of a patient: measured slice and each disc's volume and reference volume.
   *
   * @param overlap per class (disc, vertebra, canal) the measured slice's map against its expert
   *     mask: pixels in both, in the map, in the mask (all 0 when the run carried no map)
   */
  public record Run(int measured, Map<String, double[]> volumes, long[][] overlap) { }

  /** SPIDER-scheme values of the classes compared: disc, vertebra, canal. */
  private static final int[] CLASSES = {29, 76, 150};
  private static final String[] CLASS_NAMES = {"disc", "vertebra", "canal"};

  private SeriesEvaluation() {
  }

  /** The validation patients' slice sets of a spider-t2space folder. */
  public static List<PatientSeries> load(Path folder, Set<Integer> patients) throws IOException {
    Map<Integer, double[]> spacing = new HashMap<>();
    List<String> series = Files.readAllLines(folder.resolve("series.csv"));
    for (String line : series.subList(1, series.size())) {
      String[] f = line.split(",");
      spacing.put(Integer.parseInt(f[0]), new double[] {Double.parseDouble(f[1]),
          Double.parseDouble(f[2]), Double.parseDouble(f[4])});
    }
    Map<Integer, TreeMap<Integer, Boolean>> slices = new TreeMap<>();
    List<String> rows = Files.readAllLines(folder.resolve("slices.csv"));
    for (String line : rows.subList(1, rows.size())) {
      String[] f = line.split(",");
      int patient = Integer.parseInt(f[0]);
      if (patients.contains(patient)) {
        slices.computeIfAbsent(patient, p -> new TreeMap<>()).put(Integer.parseInt(f[1]),
            "1".equals(f[2].strip()));
      }
    }
    List<PatientSeries> out = new ArrayList<>();
    for (var e : slices.entrySet()) {
      double[] s = spacing.get(e.getKey());
      if (s == null) {
        throw new InvalidInputException("series.csv has no row for a patient of slices.csv");
      }
      PixelSpacing pixels = new PixelSpacing(s[0], s[1]);
      List<GreyImage> images = new ArrayList<>();
      List<LabelMap> masks = new ArrayList<>();
      int centre = -1;
      for (var slice : e.getValue().entrySet()) {
        String name = String.format(Locale.ROOT, "%03d_slice%d.png", e.getKey(), slice.getKey());
        images.add(ImageFiles.readGrey(folder.resolve("images").resolve(name), pixels));
        masks.add(ImageFiles.readMask(folder.resolve("masks").resolve(name), pixels));
        centre = slice.getValue() ? images.size() - 1 : centre;
      }
      out.add(new PatientSeries(e.getKey(), images, masks, centre, s[2]));
    }
    return out;
  }

  /**
   * Every {@code n}-th slice of {@code p}, counted from its reference centre slice (kept), the
   * spacing {@code n} times larger: a thin 3D set thinned to the spacing of a 2D series.
   */
  public static PatientSeries everyNth(PatientSeries p, int n) {
    if (n < 1) {
      throw new InvalidInputException("--every must be at least 1");
    }
    List<GreyImage> images = new ArrayList<>();
    List<LabelMap> masks = new ArrayList<>();
    int centre = -1;
    for (int k = Math.floorMod(p.referenceCentre(), n); k < p.images().size(); k += n) {
      centre = k == p.referenceCentre() ? images.size() : centre;
      images.add(p.images().get(k));
      masks.add(p.masks().get(k));
    }
    return new PatientSeries(p.patient(), images, masks, centre, p.spacingMm() * n);
  }

  /** The slices as one series of DICOM files, slice k at k x spacing along the sagittal normal. */
  public static List<AnalysisRequest.DicomInput> dicom(PatientSeries p) {
    String uid = DicomWriter.newUid();
    List<AnalysisRequest.DicomInput> files = new ArrayList<>();
    for (int k = 0; k < p.images().size(); k++) {
      MrParams params = MrParams.of(uid).withInstance(k + 1)
          .withGeometry(MrParams.sagittal(), new double[] {-p.spacingMm() * k, 0, 0})
          .withTiming(ServingPath.DEFAULT_ECHO_MS, ServingPath.DEFAULT_REPETITION_MS);
      files.add(new AnalysisRequest.DicomInput("slice" + k + ".dcm",
          DicomWriter.writeMr(p.images().get(k), params)));
    }
    return files;
  }

  /** One run's measured slice and volumes, with the reference volumes of its discs. */
  public static Run run(PatientSeries p, List<PipelineEvent> events) {
    PipelineEvent.Segmentation seg = events.stream()
        .filter(e -> e instanceof PipelineEvent.Segmentation)
        .map(e -> (PipelineEvent.Segmentation) e).findFirst()
        .orElseThrow(() -> new IllegalStateException("no segmentation event"));
    int measured = seg.measuredSlice().index();
    List<DiscGeometry> discs = events.stream().filter(e -> e instanceof PipelineEvent.Disc)
        .map(e -> ((PipelineEvent.Disc) e).geometry()).toList();
    List<SliceAnatomy> reference = p.masks().stream().map(SliceAnatomy::of).toList();
    List<DiscVolumes.Volume> ref = DiscVolumes.of(discs, reference, measured, p.spacingMm());
    Map<String, double[]> volumes = new LinkedHashMap<>();
    for (int i = 0; i < discs.size(); i++) {
      volumes.put(discs.get(i).level().displayName(), new double[] {discs.get(i).volumeMm3(),
          ref.get(i).volumeMm3()});
    }
    long[][] overlap = seg.semanticMap().map(m -> overlap(m, p.masks().get(measured)))
        .orElse(new long[CLASSES.length][3]);
    return new Run(measured, volumes, overlap);
  }

  /**
   * Per class, pixels labelled so in both maps, in {@code map}, in {@code mask}; the lumbosacral
   * disc (31) counts as a disc.
   */
  public static long[][] overlap(LabelMap map, LabelMap mask) {
    if (map.width() != mask.width() || map.height() != mask.height()) {
      throw new IllegalArgumentException("map and mask differ in size");
    }
    long[][] out = new long[CLASSES.length][3];
    byte[] a = map.labels();
    byte[] b = mask.labels();
    for (int i = 0; i < a.length; i++) {
      int u = Byte.toUnsignedInt(a[i]);
      u = u == io.spoils.feature.tensor.SegmentationOutput.LUMBOSACRAL_DISC ? 29 : u;
      int v = Byte.toUnsignedInt(b[i]);
      for (int c = 0; c < CLASSES.length; c++) {
        boolean inA = u == CLASSES[c];
        boolean inB = v == CLASSES[c];
        out[c][0] += inA && inB ? 1 : 0;
        out[c][1] += inA ? 1 : 0;
        out[c][2] += inB ? 1 : 0;
      }
    }
    return out;
  }

  /** Pooled Dice per class over runs {@code k} of {@code runs} (NaN where nothing was compared). */
  public static Map<String, Double> pooledDice(List<Run[]> runs, int k) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (int c = 0; c < CLASSES.length; c++) {
      long both = 0;
      long sum = 0;
      for (Run[] r : runs) {
        both += r[k].overlap()[c][0];
        sum += r[k].overlap()[c][1] + r[k].overlap()[c][2];
      }
      out.put(CLASS_NAMES[c], sum == 0 ? Double.NaN : round(2.0 * both / sum));
    }
    return out;
  }

  /**
   * The figures: per patient the measured slices and per disc the volumes; in all, how often the
   * runs measure the same slice and the mean absolute relative volume differences.
   *
   * @param runs per patient, the coarse run then the whole run
   */
  public static Map<String, Object> report(List<PatientSeries> patients, List<Run[]> runs) {
    List<Map<String, Object>> rows = new ArrayList<>();
    double[] sums = new double[3];
    int[] counts = new int[3];
    int sameSlice = 0;
    int atReference = 0;
    double[] quality = new double[2];
    for (int i = 0; i < patients.size(); i++) {
      Run coarse = runs.get(i)[0];
      Run whole = runs.get(i)[1];
      List<Double> scores = referenceScores(patients.get(i));
      double best = scores.stream().mapToDouble(Double::doubleValue).max().orElse(0);
      quality[0] += best > 0 ? scores.get(coarse.measured()) / best : 0;
      quality[1] += best > 0 ? scores.get(whole.measured()) / best : 0;
      sameSlice += coarse.measured() == whole.measured() ? 1 : 0;
      atReference += coarse.measured() == patients.get(i).referenceCentre() ? 1 : 0;
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("patient", patients.get(i).patient());
      row.put("measured_slice_passes", coarse.measured());
      row.put("measured_slice_every_slice_whole", whole.measured());
      row.put("reference_centre_slice", patients.get(i).referenceCentre());
      Map<String, Object> discs = new LinkedHashMap<>();
      for (var d : coarse.volumes().entrySet()) {
        double[] w = whole.volumes().get(d.getKey());
        double c = d.getValue()[0];
        double ref = d.getValue()[1];
        discs.put(d.getKey(), List.of(round(c), w == null ? Double.NaN : round(w[0]), round(ref)));
        add(sums, counts, 0, c, ref);
        if (w != null) {
          add(sums, counts, 1, w[0], w[1]);
          add(sums, counts, 2, c, w[0]);
        }
      }
      row.put("volumes_mm3_passes_whole_reference", discs);
      rows.add(row);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("patients", patients.size());
    out.put("same_measured_slice", sameSlice);
    out.put("passes_measure_the_reference_centre_slice", atReference);
    out.put("measured_slice_reference_score_passes", round(quality[0] / patients.size()));
    out.put("measured_slice_reference_score_every_slice_whole",
        round(quality[1] / patients.size()));
    out.put("volume_error_passes_vs_reference", mean(sums, counts, 0));
    out.put("volume_error_every_slice_whole_vs_reference", mean(sums, counts, 1));
    out.put("volume_difference_passes_vs_every_slice_whole", mean(sums, counts, 2));
    out.put("discs_compared", counts[2]);
    out.put("measured_slice_dice_passes", pooledDice(runs, 0));
    out.put("measured_slice_dice_every_slice_whole", pooledDice(runs, 1));
    out.put("per_patient", rows);
    return out;
  }

  /**
   * Each slice's score by the measured slice's rule on the expert masks ({@link MidSagittalSlice}:
   * canal area x disc share), so that a chosen slice is judged by how close its reference score
   * comes to the best, near-ties included.
   */
  static List<Double> referenceScores(PatientSeries p) {
    return MidSagittalSlice.choose(p.masks().stream().map(SliceAnatomy::of).toList(),
        p.referenceCentre()).scores();
  }

  private static void add(double[] sums, int[] counts, int k, double v, double ref) {
    if (Double.isFinite(v) && Double.isFinite(ref) && ref > 0) {
      sums[k] += Math.abs(v - ref) / ref;
      counts[k]++;
    }
  }

  private static double mean(double[] sums, int[] counts, int k) {
    return counts[k] == 0 ? Double.NaN : round(sums[k] / counts[k]);
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
