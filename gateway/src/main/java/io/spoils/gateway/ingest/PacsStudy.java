package io.spoils.gateway.ingest;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.decision.ClinicalScores;
import io.spoils.gateway.pipeline.AnalysisRequest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A study to analyse that lives on a configured PACS: the remote counterpart of
 * {@link AnalysisRequest}, turned into one once its files are fetched ({@link #withFiles}).
 *
 * @param pacs the configured PACS's name (never a URL)
 * @param studyInstanceUid the StudyInstanceUID, dotted decimal, at most 64 characters
 * @param seriesInstanceUid the SeriesInstanceUID to fetch alone; empty fetches the whole study and
 *     lets the pipeline choose the sagittal T2 series
 * @param scores ODI and NRS; empty for an imaging-only analysis
 */
public record PacsStudy(String pacs, String studyInstanceUid, Optional<String> seriesInstanceUid,
    Optional<ClinicalScores> scores) {

  /** PS3.5 section 9: digits in components without leading zeros, separated by dots. */
  private static final Pattern UID = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");

  /** @throws InvalidInputException for a missing PACS name or a malformed UID (not echoed) */
  public PacsStudy {
    Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
    Objects.requireNonNull(scores, "scores");
    if (pacs == null || pacs.isBlank()) {
      throw new InvalidInputException("the DICOMweb study names no PACS");
    }
    checkUid("study_instance_uid", studyInstanceUid);
    seriesInstanceUid.ifPresent(s -> checkUid("series_instance_uid", s));
  }

  private static void checkUid(String field, String uid) {
    if (uid == null || uid.isEmpty()) {
      throw new InvalidInputException(field + " is required");
    }
    if (uid.length() > 64 || !UID.matcher(uid).matches()) {
      throw new InvalidInputException(field + " must be a DICOM UID: dotted decimal, at most 64 "
          + "characters");
    }
  }

  /** The fetched study as an analysis request with these scores. */
  public AnalysisRequest withFiles(List<AnalysisRequest.DicomInput> files) {
    return new AnalysisRequest(files, scores);
  }

  /** The WADO-RS path below the DICOMweb root: {@code /studies/{uid}[/series/{uid}]}. */
  String path() {
    return "/studies/" + studyInstanceUid + seriesInstanceUid.map(s -> "/series/" + s).orElse("");
  }

  /** Without the UIDs, which identify a patient's examination. */
  @Override
  public String toString() {
    return "PacsStudy[pacs=" + pacs + ", " + what() + "]";
  }

  /** "study" or "series", for messages that must not carry the UID itself. */
  String what() {
    return seriesInstanceUid.isPresent() ? "series" : "study";
  }
}
