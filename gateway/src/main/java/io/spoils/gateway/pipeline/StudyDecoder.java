package io.spoils.gateway.pipeline;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.dicom.DicomReader;
import io.spoils.feature.dicom.DicomSlice;
import io.spoils.feature.dicom.SagittalT2;
import io.spoils.feature.dicom.Series;
import io.spoils.feature.dicom.Study;
import io.spoils.feature.dicom.StudyAssembler;
import io.spoils.feature.image.GreyImage;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The DECODE stage: DICOM files to the mid-sagittal slice of the sagittal T2 series. Blocking.
 *
 * <p>Unreadable files: a study may carry non-image objects (structured reports, presentation
 * states) beside its images, so a file that is not a readable DICOM image is skipped with a
 * {@code FILE_SKIPPED} warning as long as another file is readable; when none is, the analysis
 * fails with the reason of the first file. The chosen series must be MR.
 */
final class StudyDecoder {

  private final DicomReader reader;

  StudyDecoder(DicomReader reader) {
    this.reader = reader;
  }

  /**
   * The decoded study.
   *
   * @param accepted the accepted event
   * @param image the measured slice's pixels with its spacing
   * @param warnings what was skipped or assumed
   */
  record Decoded(PipelineEvent.Accepted accepted, GreyImage image,
      List<PipelineEvent.Warning> warnings) { }

  /**
   * Decodes the files.
   *
   * @throws InvalidInputException when no file is a readable DICOM image, there is no sagittal
   *     series, or the chosen series is not MR
   */
  Decoded decode(List<AnalysisRequest.DicomInput> files) {
    List<DicomSlice> slices = new ArrayList<>();
    List<PipelineEvent.Warning> warnings = new ArrayList<>();
    String firstFailure = null;
    for (int i = 0; i < files.size(); i++) {
      AnalysisRequest.DicomInput file = files.get(i);
      try {
        slices.add(reader.read(file.data()));
      } catch (InvalidInputException e) {
        String where = files.size() == 1 ? "the file" : "file " + (i + 1) + " ('" + file.name() + "')";
        firstFailure = firstFailure == null ? where + ": " + e.getMessage() : firstFailure;
        warnings.add(new PipelineEvent.Warning("FILE_SKIPPED", capitalised(where)
            + " was skipped: " + e.getMessage() + ".", java.util.Optional.empty()));
      }
    }
    if (slices.isEmpty()) {
      throw new InvalidInputException(files.size() == 1 ? "not a readable DICOM image (" + firstFailure
          + ")" : "none of the " + files.size() + " files is a readable DICOM image (first, "
          + firstFailure + ")");
    }
    Study study = StudyAssembler.assemble(slices);
    study.warnings().forEach(w -> warnings.add(Warnings.of(w, "STUDY_ASSEMBLY")));
    SagittalT2 chosen = StudyAssembler.chooseSagittalT2(study);
    DicomSlice mid = chosen.midSlice();
    if (!"MR".equals(mid.modality())) {
      throw new InvalidInputException("the sagittal series is not an MR series (modality '"
          + mid.modality() + "'); SPOILS analyses MR images only");
    }
    for (String w : chosen.warnings()) {
      boolean notT2 = !chosen.t2Weighted() && w.startsWith("No sagittal series has T2");
      warnings.add(Warnings.of(w, notT2 ? "SERIES_NOT_T2" : "SERIES_SELECTION"));
    }
    Series series = chosen.series();
    PipelineEvent.SeriesSummary summary = new PipelineEvent.SeriesSummary(series.orientation(),
        mid.rows(), mid.columns(), mid.spacing().rowMm(), mid.spacing().colMm(),
        sliceSpacing(series, mid), series.size(), chosen.midIndex(), chosen.t2Weighted());
    PipelineEvent.Accepted accepted = new PipelineEvent.Accepted(files.size(), slices.size(),
        study.series().size(), summary);
    return new Decoded(accepted, mid.image(), warnings);
  }

  /** Spacing Between Slices, else the mean step along the normal; empty for a single slice. */
  private static OptionalDouble sliceSpacing(Series series, DicomSlice mid) {
    if (series.size() < 2) {
      return OptionalDouble.empty();
    }
    if (series.orderedByPosition()) {
      double[] n = series.normal();
      List<DicomSlice> s = series.slices();
      double step = (s.get(s.size() - 1).positionAlong(n) - s.get(0).positionAlong(n))
          / (s.size() - 1);
      if (step > 0) {
        return OptionalDouble.of(step);
      }
    }
    Double between = mid.spacingBetweenSlicesMm();
    return between != null && between > 0 ? OptionalDouble.of(between) : OptionalDouble.empty();
  }

  private static String capitalised(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
