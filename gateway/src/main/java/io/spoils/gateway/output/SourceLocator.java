package io.spoils.gateway.output;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import io.spoils.feature.InvalidInputException;
import io.spoils.feature.dicom.DicomSlice;
import io.spoils.feature.dicom.DecodeBudget;
import io.spoils.feature.dicom.DecodeLimits;
import io.spoils.feature.dicom.Series;
import io.spoils.feature.dicom.StudyReader;
import io.spoils.gateway.pipeline.AnalysisRequest;
import io.spoils.gateway.pipeline.PipelineEvent;
import io.spoils.gateway.pipeline.PipelineOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Finds the file of the slice an analysis measured and reads its identifiers: the study is read
 * and its sagittal T2 series chosen exactly as the pipeline's decode stage does
 * ({@link StudyReader}), then the slice at {@link PipelineEvent.MeasuredSlice#index()} is taken
 * from that series and its file's header read with PixelMed (up to the pixel data). Blocking; the
 * chosen series is decoded a second time, which costs about as much as the analysis' decode stage.
 */
public final class SourceLocator {

  private final StudyReader reader;

  private SourceLocator(StudyReader reader) {
    this.reader = reader;
  }

  /** With the default reader. */
  public static SourceLocator create() {
    return new SourceLocator(StudyReader.create());
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
    StudyReader.Result read = reader.read(files.stream().map(AnalysisRequest.DicomInput::data)
        .toList(), i -> "file " + (i + 1), DecodeBudget.of(DecodeLimits.fromEnvironment(
        System.getenv())), PipelineOptions.MAX_SERIES_SLICES);
    Series series = read.chosen().series();
    PipelineEvent.MeasuredSlice measured = result.segmentation().measuredSlice();
    int local = measured.index() - read.offset();
    if (read.seriesSize() != result.accepted().series().sliceCount()
        || local < 0 || local >= series.size()) {
      throw new InvalidInputException("the measured slice is not among the given files");
    }
    DicomSlice slice = series.slices().get(local);
    Integer number = slice.instanceNumber();
    if (measured.instanceNumber().isPresent()
        && (number == null || number != measured.instanceNumber().getAsInt())) {
      throw new InvalidInputException("the measured slice's Instance Number does not match the "
          + "files given");
    }
    try {
      return new SourceImage(header(files.get(read.chosenFiles().get(local)).data()),
          slice);
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
