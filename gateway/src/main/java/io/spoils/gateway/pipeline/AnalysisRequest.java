package io.spoils.gateway.pipeline;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.decision.ClinicalScores;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One study to analyse.
 *
 * @param files the study's DICOM files, any order, at least one; files of other series are allowed
 * @param scores ODI and NRS (validated by {@link ClinicalScores}); empty for an imaging-only
 *     analysis, whose strata then assume scores that are not high (the reasons say so)
 */
public record AnalysisRequest(List<DicomInput> files, Optional<ClinicalScores> scores) {

  /**
   * One DICOM file.
   *
   * @param name the client's label for the file (e.g. its file name), used only to point at it in
   *     warnings; must not carry patient data
   * @param content the file's bytes (not copied; must not be modified)
   */
  public record DicomInput(String name, byte[] content) {
    public DicomInput {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(content, "content");
    }
  }

  /** @throws InvalidInputException when there is no file */
  public AnalysisRequest {
    Objects.requireNonNull(scores, "scores");
    if (files == null || files.isEmpty()) {
      throw new InvalidInputException("no DICOM file was given");
    }
    files = List.copyOf(files);
  }
}
