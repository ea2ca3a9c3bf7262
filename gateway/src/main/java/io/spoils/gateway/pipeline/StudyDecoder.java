package io.spoils.gateway.pipeline;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.dicom.DecodeBudget;
import io.spoils.feature.dicom.DecodeBudgetExceededException;
import io.spoils.feature.dicom.DecodeLimits;
import io.spoils.feature.dicom.DicomSlice;
import io.spoils.feature.dicom.SagittalT2;
import io.spoils.feature.dicom.Series;
import io.spoils.feature.dicom.StudyReader;
import io.spoils.gateway.backend.BackendException;
import io.spoils.gateway.backend.BackendStatus;
import io.spoils.gateway.backend.Deadline;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.function.IntFunction;

/**
 * The DECODE stage: DICOM files to the slices of the sagittal T2 series ({@link SeriesSlices}), its
 * geometric centre and slice spacing. Blocking.
 *
 * <p>Two passes ({@link StudyReader}): the attributes of every file choose the series, then only
 * the chosen series' pixels are decoded, so the other series of an examination cost no pixels.
 *
 * <p>Unreadable files: a study may carry non-image objects (structured reports, presentation
 * states) beside its images, so a file that is not a readable DICOM image (or, in the chosen
 * series, whose pixels cannot be decoded) is skipped with a {@code FILE_SKIPPED} warning as long as
 * another file is readable; when none is, the analysis fails with the reason of the first file.
 * The chosen series must be MR.
 *
 * <p>Bounds: the files of one study share one {@link DecodeBudget} of {@link DecodeLimits} (decoded
 * pixels, inflated bytes); a file that would pass it fails the whole study with its
 * {@link DecodeBudgetExceededException} instead of being skipped. The limits come from the
 * environment ({@link DecodeLimits#fromEnvironment}: {@code SPOILS_MAX_DECODED_PIXELS},
 * {@code SPOILS_MAX_INFLATED_BYTES}) unless given. Decoding stops at the study's deadline or
 * cancellation, checked before every file and between the large steps of one file: the deadline
 * fails it with a {@link BackendException} of status {@code DEADLINE_EXCEEDED}, cancellation with
 * {@link AnalysisCancelledException}.
 */
final class StudyDecoder {

  /** Warning code: the images are not stored head up (by their orientation). */
  static final String NOT_HEAD_UP = "IMAGE_NOT_HEAD_UP";
  /** Its message; also the hint of a "no spine found" error on such images. */
  static final String NOT_HEAD_UP_MESSAGE = "The sagittal images are not stored head up (by "
      + "ImageOrientationPatient their columns do not run from head to feet: turned by 90 degrees "
      + "or upside down); the segmentation learnt from head-up images, so the spine may be missed "
      + "or its levels misnamed. Send the series as the scanner displays it, head at the top.";

  private final StudyReader reader = StudyReader.create();
  private final DecodeLimits limits;

  /** A decoder with the limits of the environment; throws when a variable is invalid. */
  StudyDecoder() {
    this(DecodeLimits.fromEnvironment(System.getenv()));
  }

  StudyDecoder(DecodeLimits limits) {
    this.limits = limits;
  }

  /**
   * The decoded study.
   *
   * @param accepted the accepted event
   * @param series the slices to segment, with their spacing
   * @param warnings what was skipped or assumed
   */
  record Decoded(PipelineEvent.Accepted accepted, SeriesSlices series,
      List<PipelineEvent.Warning> warnings) { }

  /**
   * Decodes the files within {@link PipelineOptions#DEFAULT_TIMEOUT} from now and without
   * cancellation; callers that hold the study's deadline and cancellation pass them instead.
   */
  Decoded decode(List<AnalysisRequest.DicomInput> files, boolean computeVolume) {
    return decode(files, computeVolume, Deadline.after(PipelineOptions.DEFAULT_TIMEOUT),
        new Cancellation());
  }

  /**
   * Decodes the files.
   *
   * @param computeVolume whether volumes were asked for (a slice thickness taken as the spacing
   *     is then warned about)
   * @param deadline the study's deadline: decoding stops once it passes
   * @param cancellation the caller's cancellation: decoding stops once it is cancelled
   * @throws InvalidInputException when no file is a readable DICOM image, there is no sagittal
   *     series, the chosen series is not MR, or the files pass the decoding budget
   * @throws BackendException with {@code DEADLINE_EXCEEDED} when the deadline passes
   * @throws AnalysisCancelledException when the caller cancels
   */
  Decoded decode(List<AnalysisRequest.DicomInput> files, boolean computeVolume, Deadline deadline,
      Cancellation cancellation) {
    long budgetMillis = deadline.remaining().toMillis();
    DecodeBudget budget = DecodeBudget.of(limits, () -> {
      if (deadline.expired()) {
        throw new BackendException(BackendStatus.DEADLINE_EXCEEDED, "the analysis deadline of "
            + budgetMillis + " ms passed while its DICOM files were decoded");
      }
      cancellation.check("its DICOM files were decoded");
    });
    List<ByteBuffer> data = files.stream().map(AnalysisRequest.DicomInput::data).toList();
    IntFunction<String> where = i -> files.size() == 1 ? "the file"
        : "file " + (i + 1) + " ('" + files.get(i).name() + "')";
    StudyReader.Result read = reader.read(data, where, budget, SeriesSlices.MAX_SLICES);
    List<PipelineEvent.Warning> warnings = new ArrayList<>();
    for (StudyReader.Skipped s : read.skipped()) {
      warnings.add(new PipelineEvent.Warning("FILE_SKIPPED", capitalised(where.apply(s.file()))
          + " was skipped: " + s.reason() + ".", java.util.Optional.empty()));
    }
    read.assemblyWarnings().forEach(w -> warnings.add(Warnings.of(w, "STUDY_ASSEMBLY")));
    SagittalT2 chosen = read.chosen();
    DicomSlice mid = chosen.midSlice();
    if (!"MR".equals(mid.modality())) {
      throw new InvalidInputException("the sagittal series is not an MR series (modality '"
          + mid.modality() + "'); SPOILS analyses MR images only");
    }
    if (!io.spoils.feature.dicom.Orientation.headUp(mid.imageOrientationPatient())) {
      warnings.add(new PipelineEvent.Warning(NOT_HEAD_UP, NOT_HEAD_UP_MESSAGE,
          java.util.Optional.empty()));
    }
    for (String w : chosen.warnings()) {
      boolean notT2 = !chosen.t2Weighted() && w.startsWith("No sagittal series has T2");
      warnings.add(Warnings.of(w, notT2 ? "SERIES_NOT_T2" : "SERIES_SELECTION"));
    }
    Series series = chosen.series();
    PipelineEvent.SeriesSummary summary = new PipelineEvent.SeriesSummary(series.orientation(),
        mid.rows(), mid.columns(), mid.spacing().rowMm(), mid.spacing().colMm(),
        sliceSpacing(series, mid), read.seriesSize(), read.offset() + chosen.midIndex(),
        chosen.t2Weighted(),
        mid.studyInstanceUid(), mid.seriesInstanceUid());
    PipelineEvent.Accepted accepted = new PipelineEvent.Accepted(files.size(),
        read.readableFiles(), read.seriesCount(), summary);
    return new Decoded(accepted, slices(read, summary.sliceSpacingMm(), computeVolume, warnings),
        warnings);
  }

  /**
   * The slices to segment (see {@link SeriesSlices}) and the spacing for volumes: those the reader
   * decoded (at most {@link SeriesSlices#MAX_SLICES} around the centre), or the centre alone when
   * their grids differ.
   */
  private static SeriesSlices slices(StudyReader.Result read, OptionalDouble spacing,
      boolean computeVolume, List<PipelineEvent.Warning> warnings) {
    SagittalT2 chosen = read.chosen();
    List<DicomSlice> all = chosen.series().slices();
    DicomSlice mid = chosen.midSlice();
    int from = 0;
    int to = all.size();
    if (!sameGrid(all, mid)) {
      warnings.add(new PipelineEvent.Warning("SERIES_SLICES_DIFFER", "The slices of the series "
          + "differ in size or pixel spacing, so only its geometric centre was segmented and "
          + "measured.", java.util.Optional.empty()));
      from = chosen.midIndex();
      to = from + 1;
    } else if (read.seriesSize() > all.size()) {
      warnings.add(new PipelineEvent.Warning("SERIES_TRUNCATED", "The series has "
          + read.seriesSize() + " slices; its central " + all.size() + " were segmented.",
          java.util.Optional.empty()));
    }
    List<DicomSlice> kept = all.subList(from, to);
    OptionalDouble volumeSpacing = spacing;
    if (spacing.isEmpty() && kept.size() > 1 && computeVolume) {
      Double thickness = mid.sliceThicknessMm();
      if (thickness != null && thickness > 0 && Double.isFinite(thickness)) {
        volumeSpacing = OptionalDouble.of(thickness);
        warnings.add(new PipelineEvent.Warning("SLICE_SPACING_ASSUMED", String.format(
            java.util.Locale.ROOT, "The series gives neither slice positions nor Spacing Between "
            + "Slices; volumes take the slice thickness (%.2f mm) as the spacing, which is wrong "
            + "for series with gaps or overlaps.", thickness), java.util.Optional.empty()));
      }
    }
    return new SeriesSlices(kept.stream().map(DicomSlice::image).toList(),
        kept.stream().map(d -> d.instanceNumber() == null ? OptionalInt.empty()
            : OptionalInt.of(d.instanceNumber())).toList(),
        kept.stream().map(DicomSlice::sopInstanceUid).toList(),
        kept.stream().map(d -> d.numberOfFrames() > 1 ? OptionalInt.of(d.frame() + 1)
            : OptionalInt.empty()).toList(),
        read.offset() + from, chosen.midIndex() - from,
        kept.size() > 1 ? volumeSpacing : OptionalDouble.empty(),
        io.spoils.feature.dicom.Orientation.anteriorOnRight(mid.imageOrientationPatient()),
        io.spoils.feature.dicom.Orientation.headUp(mid.imageOrientationPatient()));
  }

  /** Whether every slice has the size and pixel spacing of {@code mid}. */
  private static boolean sameGrid(List<DicomSlice> slices, DicomSlice mid) {
    for (DicomSlice s : slices) {
      if (s.rows() != mid.rows() || s.columns() != mid.columns()
          || !s.spacing().equals(mid.spacing())) {
        return false;
      }
    }
    return true;
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
