package io.spoils.feature.dicom;

import io.spoils.feature.InvalidInputException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Groups slices into series, orders them in space, and picks the sagittal T2 series and its
 * mid-sagittal slice. Stateless; all decisions come from DICOM geometry and timing, never from
 * free-text descriptions.
 *
 * <ul>
 *   <li>Grouping: by Series Instance UID, then by {@link Orientation} (a UID can hold localisers in
 *       three planes).
 *   <li>Order: ascending {@code dot(ImagePositionPatient, normal)} with the first slice's normal;
 *       when any slice lacks position or orientation, ascending Instance Number (with a warning).
 *   <li>T2 weighting: TE &ge; {@value #T2_MIN_ECHO_TIME_MS} ms and TR &ge;
 *       {@value #T2_MIN_REPETITION_TIME_MS} ms. T1 (TE ~10-20 ms) and proton-density (TE ~20-40 ms)
 *       series fall below the TE bound; spin-echo T2 (TR 2000-6000 ms) and 3-D variable-flip-angle T2
 *       (SPACE/CUBE/VISTA, TR ~1000-2000 ms) pass.
 *   <li>Mid-sagittal slice: the slice whose position along the normal is nearest the midpoint of the
 *       series' extent ({@code (first + last) / 2}); on a tie the lower index. Without positions, the
 *       middle of the Instance Number order, index {@code (n - 1) / 2}.
 * </ul>
 */
public final class StudyAssembler {
  /** Shortest echo time, in ms, counted as T2-weighted. */
  public static final double T2_MIN_ECHO_TIME_MS = 60;
  /** Shortest repetition time, in ms, counted as T2-weighted. */
  public static final double T2_MIN_REPETITION_TIME_MS = 1000;
  /** Slices closer than this along the normal, in mm, count as the same position. */
  static final double SAME_POSITION_MM = 1e-3;

  private StudyAssembler() {}

  /**
   * Groups and orders slices.
   *
   * @param slices slices of one examination, any order
   * @throws InvalidInputException when there are no slices
   */
  public static Study assemble(List<DicomSlice> slices) {
    if (slices.isEmpty()) {
      throw new InvalidInputException("no DICOM images to assemble");
    }
    List<String> warnings = new ArrayList<>();
    long noUid = slices.stream().filter(s -> s.seriesInstanceUid().isEmpty()).count();
    if (noUid > 0) {
      warnings.add(noUid + " slice(s) have no Series Instance UID and were grouped together by plane.");
    }
    Map<String, List<DicomSlice>> groups = new LinkedHashMap<>();
    for (DicomSlice s : slices) {
      groups.computeIfAbsent(s.seriesInstanceUid() + "|" + s.orientation(), k -> new ArrayList<>()).add(s);
    }
    List<Series> series = new ArrayList<>();
    for (List<DicomSlice> group : groups.values()) {
      series.add(order(group, warnings));
    }
    series.sort(Comparator.comparing(Series::seriesNumber, Comparator.nullsLast(Comparator.naturalOrder()))
        .thenComparing(Series::orientation));
    return new Study(series, warnings);
  }

  private static Series order(List<DicomSlice> group, List<String> warnings) {
    DicomSlice first = group.get(0);
    String label = new Series(first.seriesNumber(), first.orientation(), group, false).label();
    boolean positioned = group.stream()
        .allMatch(s -> s.imagePositionPatient() != null && s.imageOrientationPatient() != null);
    Comparator<DicomSlice> byInstance = Comparator.comparing(DicomSlice::instanceNumber,
        Comparator.nullsLast(Comparator.naturalOrder()));
    List<DicomSlice> sorted = new ArrayList<>(group);
    if (positioned) {
      double[] n = first.normal();
      sorted.sort(Comparator.comparingDouble((DicomSlice s) -> s.positionAlong(n)).thenComparing(byInstance));
      if (hasDuplicatePositions(sorted, n)) {
        warnings.add(label + " (" + first.orientation().name().toLowerCase(Locale.ROOT) + ") has several slices at "
            + "the same position (repeated acquisitions or several echoes).");
      }
    } else {
      sorted.sort(byInstance);
      if (group.size() > 1) {
        warnings.add(label + " (" + first.orientation().name().toLowerCase(Locale.ROOT) + "): some slices lack "
            + "ImagePositionPatient or ImageOrientationPatient; slices ordered by Instance Number.");
      }
    }
    return new Series(first.seriesNumber(), first.orientation(), sorted, positioned);
  }

  private static boolean hasDuplicatePositions(List<DicomSlice> sorted, double[] n) {
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).positionAlong(n) - sorted.get(i - 1).positionAlong(n) < SAME_POSITION_MM) {
        return true;
      }
    }
    return false;
  }

  /** Whether the series' echo and repetition times meet the T2 thresholds (false when unknown). */
  public static boolean isT2Weighted(Series series) {
    Double te = series.echoTimeMs();
    Double tr = series.repetitionTimeMs();
    return te != null && tr != null && te >= T2_MIN_ECHO_TIME_MS && tr >= T2_MIN_REPETITION_TIME_MS;
  }

  /**
   * Picks the sagittal T2 series: among sagittal series the T2-weighted one with the most slices;
   * if none is T2-weighted, the sagittal series with the most slices (with a warning). Ties go to the
   * earlier series in {@link Study#series()} order.
   *
   * @throws InvalidInputException when the study has no sagittal series
   */
  public static SagittalT2 chooseSagittalT2(Study study) {
    List<Series> sagittal = study.series().stream()
        .filter(s -> s.orientation() == Orientation.SAGITTAL).toList();
    if (sagittal.isEmpty()) {
      throw new InvalidInputException("no sagittal series among " + study.series().size()
          + " series (planes found: " + planes(study) + ")");
    }
    List<String> warnings = new ArrayList<>();
    List<Series> t2 = sagittal.stream().filter(StudyAssembler::isT2Weighted).toList();
    Series chosen;
    if (t2.isEmpty()) {
      chosen = mostSlices(sagittal);
      warnings.add("No sagittal series has T2-weighted timing (TE >= " + (int) T2_MIN_ECHO_TIME_MS
          + " ms and TR >= " + (int) T2_MIN_REPETITION_TIME_MS + " ms); using " + chosen.label()
          + ", the sagittal series with the most slices (" + chosen.size() + ").");
    } else {
      chosen = mostSlices(t2);
      if (t2.size() > 1) {
        warnings.add(t2.size() + " sagittal series have T2-weighted timing; using " + chosen.label()
            + ", which has the most slices (" + chosen.size() + ").");
      }
    }
    if (!"MR".equals(chosen.slices().get(0).modality())) {
      warnings.add(capitalised(chosen.label()) + " has modality '" + chosen.slices().get(0).modality()
          + "', not MR.");
    }
    if (!chosen.orderedByPosition() && chosen.size() > 1) {
      warnings.add("Mid-sagittal slice of " + chosen.label() + " taken from the middle of the Instance "
          + "Number order because slice positions are missing.");
    }
    return new SagittalT2(chosen, midIndex(chosen), !t2.isEmpty(), warnings);
  }

  /** Index of the mid-sagittal slice of {@code series} (see the class description). */
  public static int midIndex(Series series) {
    List<DicomSlice> s = series.slices();
    if (!series.orderedByPosition()) {
      return (s.size() - 1) / 2;
    }
    double[] n = series.normal();
    double mid = (s.get(0).positionAlong(n) + s.get(s.size() - 1).positionAlong(n)) / 2;
    int best = 0;
    for (int i = 1; i < s.size(); i++) {
      if (Math.abs(s.get(i).positionAlong(n) - mid) < Math.abs(s.get(best).positionAlong(n) - mid)) {
        best = i;
      }
    }
    return best;
  }

  private static Series mostSlices(List<Series> candidates) {
    Series best = candidates.get(0);
    for (Series s : candidates) {
      if (s.size() > best.size()) {
        best = s;
      }
    }
    return best;
  }

  private static String planes(Study study) {
    return String.join(", ", study.series().stream()
        .map(s -> s.orientation().name().toLowerCase(Locale.ROOT)).distinct().toList());
  }

  private static String capitalised(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
