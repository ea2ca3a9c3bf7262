package io.spoils.gateway.tooling;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.decision.DiscClass;
import io.spoils.feature.image.PixelSpacing;
import io.spoils.feature.tooling.trees.CsvTable;
import io.spoils.feature.tooling.trees.SpiderTrainingSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The graded sagittal T2 images of the SPIDER folders, as the serving path sees them: a PNG slice
 * with its pixel spacing, scanner and the radiologists' grades of its discs.
 *
 * <ul>
 *   <li>{@code spider-midsag}: each patient's {@code t2} (T2 TSE) and {@code t2_SPACE} render,
 *       spacing, manufacturer and field strength from {@code series.csv}, grades from its
 *       {@code gradings.csv}. T1 images are not graded (Pfirrmann is a T2 grade) and left out.
 *   <li>{@code spider-t2space}: each patient's centre slice ({@code slices.csv is_center=1}), a
 *       T2 SPACE slice, spacing and scanner from its {@code series.csv}, grades from its
 *       {@code gradings.csv}.
 * </ul>
 * Severity comes from the findings by the project's rule ({@link SpiderTrainingSet#gradings}).
 * Patient ids stay in memory; outputs carry counts only.
 */
public final class GradedImages {

  /** Where an image comes from; its sequence is what the figures are reported by. */
  public enum Source {
    MIDSAG_T2("T2 TSE", "spider-midsag t2"),
    MIDSAG_T2_SPACE("T2 SPACE", "spider-midsag t2_SPACE"),
    T2SPACE_CENTRE("T2 SPACE", "spider-t2space centre slice");

    private final String sequence;
    private final String label;

    Source(String sequence, String label) {
      this.sequence = sequence;
      this.label = label;
    }

    /** {@code T2 TSE} or {@code T2 SPACE}. */
    public String sequence() {
      return sequence;
    }

    /** The folder and image kind, for reports. */
    public String label() {
      return label;
    }
  }

  /**
   * One graded image.
   *
   * @param patient the patient id (in memory only; never written out)
   * @param source where the image comes from
   * @param vendor {@code Philips} or {@code Siemens} (the manufacturer's first word, capitalised)
   * @param fieldStrength e.g. {@code 1.5 T}
   * @param png the 8-bit slice
   * @param spacing its pixel spacing
   * @param echoTimeMs the series' echo time, or NaN when the folder does not give it
   * @param repetitionTimeMs the series' repetition time, or NaN
   * @param grades reference class by ivd_label (1 = lowest regular disc, L5-S1)
   */
  public record GradedImage(String patient, Source source, String vendor, String fieldStrength,
      Path png, PixelSpacing spacing, double echoTimeMs, double repetitionTimeMs,
      Map<Integer, DiscClass> grades) { }

  private GradedImages() {}

  /**
   * The graded images of {@code patients}, midsag first, each in ascending patient order. Either
   * folder may be null (left out).
   *
   * @throws InvalidInputException when a folder lacks its CSVs or an image file
   */
  public static List<GradedImage> load(Path midsag, Path t2space, Set<Integer> patients) {
    List<GradedImage> out = new ArrayList<>();
    if (midsag != null) {
      out.addAll(midsag(requireDir(midsag, "--midsag"), patients));
    }
    if (t2space != null) {
      out.addAll(t2space(requireDir(t2space, "--t2space"), patients));
    }
    return out;
  }

  private static List<GradedImage> midsag(Path dir, Set<Integer> patients) {
    Map<Integer, Map<Integer, DiscClass>> grades = SpiderTrainingSet.gradings(dir);
    CsvTable t = CsvTable.read(dir.resolve("series.csv"), "patient", "sequence", "row_spacing_mm",
        "col_spacing_mm", "manufacturer", "field_t", "echo_time_ms", "repetition_time_ms", "file");
    List<GradedImage> out = new ArrayList<>();
    for (int r = 0; r < t.size(); r++) {
      int patient = t.integer(r, "patient");
      String sequence = t.text(r, "sequence");
      Source source = sequence.equals("t2") ? Source.MIDSAG_T2
          : sequence.equals("t2_SPACE") ? Source.MIDSAG_T2_SPACE : null;
      if (source == null || !patients.contains(patient) || !grades.containsKey(patient)) {
        continue;
      }
      out.add(new GradedImage(Integer.toString(patient), source,
          vendor(t.text(r, "manufacturer")), field(t.number(r, "field_t")),
          requireFile(dir.resolve(t.text(r, "file"))), spacing(t, r, "row_spacing_mm",
          "col_spacing_mm"), t.number(r, "echo_time_ms"), t.number(r, "repetition_time_ms"),
          grades.get(patient)));
    }
    out.sort(Comparator.comparing((GradedImage g) -> Integer.parseInt(g.patient()))
        .thenComparing(GradedImage::source));
    return out;
  }

  private static List<GradedImage> t2space(Path dir, Set<Integer> patients) {
    Map<Integer, Map<Integer, DiscClass>> grades = SpiderTrainingSet.gradings(dir);
    CsvTable series = CsvTable.read(dir.resolve("series.csv"), "patient", "pixel_spacing_row_mm",
        "pixel_spacing_col_mm", "manufacturer", "field_strength_t");
    CsvTable slices = CsvTable.read(dir.resolve("slices.csv"), "patient", "slice", "is_center");
    Map<Integer, Integer> centre = new java.util.HashMap<>();
    for (int r = 0; r < slices.size(); r++) {
      if (slices.integer(r, "is_center") == 1) {
        centre.put(slices.integer(r, "patient"), slices.integer(r, "slice"));
      }
    }
    List<GradedImage> out = new ArrayList<>();
    for (int r = 0; r < series.size(); r++) {
      int patient = series.integer(r, "patient");
      Integer slice = centre.get(patient);
      if (!patients.contains(patient) || !grades.containsKey(patient) || slice == null) {
        continue;
      }
      Path png = dir.resolve("images").resolve(String.format(Locale.ROOT, "%03d_slice%d.png",
          patient, slice));
      out.add(new GradedImage(Integer.toString(patient), Source.T2SPACE_CENTRE,
          vendor(series.text(r, "manufacturer")), field(series.number(r, "field_strength_t")),
          requireFile(png), spacing(series, r, "pixel_spacing_row_mm", "pixel_spacing_col_mm"),
          Double.NaN, Double.NaN, grades.get(patient)));
    }
    out.sort(Comparator.comparing((GradedImage g) -> Integer.parseInt(g.patient())));
    return out;
  }

  /** {@code Philips} for "Philips Healthcare" or "Philips Medical Systems", {@code Siemens} ... */
  static String vendor(String manufacturer) {
    String first = manufacturer.strip().split("\\s+")[0].toLowerCase(Locale.ROOT);
    return first.isEmpty() ? "unknown" : Character.toUpperCase(first.charAt(0)) + first.substring(1);
  }

  /** {@code 1.5 T}, {@code 3 T}. */
  static String field(double tesla) {
    return (tesla == Math.rint(tesla) ? Integer.toString((int) tesla) : Double.toString(tesla))
        + " T";
  }

  private static PixelSpacing spacing(CsvTable t, int r, String row, String col) {
    try {
      return new PixelSpacing(t.number(r, row), t.number(r, col));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("series.csv row " + (r + 2) + " has an invalid spacing");
    }
  }

  private static Path requireDir(Path dir, String option) {
    if (!Files.isDirectory(dir)) {
      throw new InvalidInputException(option + " is not a directory");
    }
    return dir;
  }

  private static Path requireFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException("image " + file.getFileName() + " is missing");
    }
    return file;
  }
}
