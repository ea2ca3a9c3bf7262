package io.spoils.gateway.pipeline;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.decision.ClinicalScores;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One study to analyse.
 *
 * @param files the study's DICOM files, any order, at least one; files of other series are allowed
 * @param scores ODI and NRS (validated by {@link ClinicalScores}); empty for an imaging-only
 *     analysis, whose strata then assume scores that are not high (the reasons say so)
 * @param computeVolume whether each disc's volume is summed over the slices of the series; a
 *     one-slice series (or one without a known slice spacing) is analysed without volumes and a
 *     {@code VOLUME_NOT_COMPUTED} warning says why
 */
public record AnalysisRequest(List<DicomInput> files, Optional<ClinicalScores> scores,
    boolean computeVolume) {

  /** A request without volumes. */
  public AnalysisRequest(List<DicomInput> files, Optional<ClinicalScores> scores) {
    this(files, scores, false);
  }

  /** This request with {@code computeVolume} set to {@code value}. */
  public AnalysisRequest withComputeVolume(boolean value) {
    return new AnalysisRequest(files, scores, value);
  }

  /**
   * One DICOM file.
   *
   * @param name the client's label for the file (e.g. its file name), used only to point at it in
   *     warnings; must not carry patient data
   * @param data the file's bytes, from the buffer's position to its limit: not copied and not
   *     modified (a read-only view of a received message is fine); readers use their own views,
   *     so the buffer's position is never moved
   */
  public record DicomInput(String name, ByteBuffer data) {
    public DicomInput {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(data, "data");
    }

    /** @param content the file's bytes (not copied; must not be modified) */
    public DicomInput(String name, byte[] content) {
      this(name, ByteBuffer.wrap(Objects.requireNonNull(content, "content")));
    }

    /** Size in bytes. */
    public int size() {
      return data.remaining();
    }

    /**
     * The bytes as an array: the backing array itself when the buffer is a whole, writable array
     * (as built from one), else a copy.
     */
    public byte[] content() {
      if (data.hasArray() && data.arrayOffset() == 0 && data.position() == 0
          && data.limit() == data.array().length) {
        return data.array();
      }
      byte[] copy = new byte[data.remaining()];
      data.duplicate().get(copy);
      return copy;
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
