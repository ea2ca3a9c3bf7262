package io.spoils.gateway.output;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import io.spoils.feature.InvalidInputException;
import io.spoils.feature.dicom.DicomReader;
import io.spoils.feature.dicom.DicomSlice;
import io.spoils.feature.dicom.SagittalT2;
import io.spoils.feature.dicom.Series;
import io.spoils.feature.dicom.StudyAssembler;
import io.spoils.gateway.pipeline.AnalysisRequest;
import io.spoils.gateway.pipeline.PipelineEvent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the file of the slice an analysis measured and reads its identifiers: the study is decoded
 * and its sagittal T2 series chosen exactly as the pipeline's decode stage does
 * ({@link StudyAssembler}), then the slice at {@link PipelineEvent.MeasuredSlice#index()} is taken
 * from that series and its file's header read with PixelMed (up to the pixel data). Blocking; the
 * files are decoded a second time, which costs about as much as the analysis' decode stage.
 */
public final class SourceLocator {

  private final DicomReader reader;

  public SourceLocator(DicomReader reader) {
    this.reader = reader;
  }

  /** With the default reader. */
  public static SourceLocator create() {
    return new SourceLocator(DicomReader.create());
  }

  /**
   * The measured source image.
   *
   * @param files the files the analysis was given, in the same order
   * @param result the analysis' result
   * @throws InvalidInputException when the measured slice cannot be found among the files or lacks
   *     the identifiers a DICOM output must reference
   */
  public SourceImage locate(List<AnalysisRequest.DicomInput> files, AnalysisResult result) {
    Map<DicomSlice, ByteBuffer> fileOf = new IdentityHashMap<>();
    List<DicomSlice> slices = new ArrayList<>();
    for (AnalysisRequest.DicomInput file : files) {
      try {
        DicomSlice s = reader.read(file.data());
        slices.add(s);
        fileOf.put(s, file.data());
      } catch (InvalidInputException e) {
        // skipped by the analysis too (FILE_SKIPPED)
      }
    }
    if (slices.isEmpty()) {
      throw new InvalidInputException("none of the files is a readable DICOM image");
    }
    SagittalT2 chosen = StudyAssembler.chooseSagittalT2(StudyAssembler.assemble(slices));
    Series series = chosen.series();
    PipelineEvent.MeasuredSlice measured = result.segmentation().measuredSlice();
    if (series.size() != result.accepted().series().sliceCount()
        || measured.index() < 0 || measured.index() >= series.size()) {
      throw new InvalidInputException("the measured slice is not among the given files");
    }
    DicomSlice slice = series.slices().get(measured.index());
    Integer number = slice.instanceNumber();
    if (measured.instanceNumber().isPresent()
        && (number == null || number != measured.instanceNumber().getAsInt())) {
      throw new InvalidInputException("the measured slice's Instance Number does not match the "
          + "files given");
    }
    try {
      return new SourceImage(header(fileOf.get(slice)), slice);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(e.getMessage(), e);
    }
  }

  /** The attributes of a file up to its pixel data. */
  static AttributeList header(ByteBuffer file) {
    byte[] bytes = new byte[file.remaining()];
    file.duplicate().get(bytes);
    AttributeList list = new AttributeList();
    try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(bytes))) {
      list.read(in, TagFromName.PixelData);
      return list;
    } catch (IOException | DicomException e) {
      throw new InvalidInputException("the measured file's header cannot be read again", e);
    }
  }
}
