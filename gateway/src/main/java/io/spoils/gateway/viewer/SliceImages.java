package io.spoils.gateway.viewer;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.dicom.DecodeBudget;
import io.spoils.feature.dicom.DecodeLimits;
import io.spoils.feature.dicom.StudyReader;
import io.spoils.feature.dicom.Series;
import io.spoils.feature.image.GreyImage;
import io.spoils.gateway.pipeline.AnalysisRequest;
import io.spoils.gateway.pipeline.PipelineOptions;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The analysed slice as a picture for a viewer: the study's files are decoded again and its
 * sagittal series chosen exactly as the pipeline's decode stage does ({@link StudyAssembler}),
 * the slice at the measured index taken, and its pixels windowed to 8 bits between their
 * {@value #LOW_PERCENTILE} and {@value #HIGH_PERCENTILE} percentiles (MR has no standard window)
 * and written as a greyscale PNG of the slice's own size, which is the label map's size.
 * Blocking (run it on a worker); stateless.
 */
public final class SliceImages {

  /** Percentile of the pixel values shown as black. */
  static final double LOW_PERCENTILE = 0.5;
  /** Percentile of the pixel values shown as white. */
  static final double HIGH_PERCENTILE = 99.5;

  private SliceImages() {}

  /**
   * The measured slice of {@code files} as a PNG.
   *
   * @param files the study's files as the analysis got them
   * @param index the measured slice's index in the chosen series, spatial order
   * @throws InvalidInputException when the files no longer give that slice
   */
  public static byte[] measuredSlicePng(List<AnalysisRequest.DicomInput> files, int index) {
    return png(measuredSlice(files, index));
  }

  /** The slice at {@code index} of the series the pipeline chooses among {@code files}. */
  static GreyImage measuredSlice(List<AnalysisRequest.DicomInput> files, int index) {
    StudyReader.Result read = StudyReader.create().read(files.stream()
        .map(AnalysisRequest.DicomInput::data).toList(), i -> "file " + (i + 1),
        DecodeBudget.of(DecodeLimits.fromEnvironment(System.getenv())), PipelineOptions.MAX_SERIES_SLICES);
    Series series = read.chosen().series();
    int local = index - read.offset();
    if (local < 0 || local >= series.size()) {
      throw new InvalidInputException("the measured slice is not among the files");
    }
    return series.slices().get(local).image();
  }

  /** {@code image} windowed to 8 bits as a greyscale PNG. */
  static byte[] png(GreyImage image) {
    float[] px = image.pixels();
    float[] sorted = px.clone();
    Arrays.sort(sorted);
    float low = sorted[rank(sorted.length, LOW_PERCENTILE)];
    float high = sorted[rank(sorted.length, HIGH_PERCENTILE)];
    float scale = high > low ? 255f / (high - low) : 0f;
    byte[] grey = new byte[px.length];
    for (int i = 0; i < px.length; i++) {
      float v = (px[i] - low) * scale;
      grey[i] = (byte) Math.round(Math.max(0f, Math.min(255f, Float.isNaN(v) ? 0f : v)));
    }
    BufferedImage out = new BufferedImage(image.width(), image.height(),
        BufferedImage.TYPE_BYTE_GRAY);
    out.getRaster().setDataElements(0, 0, image.width(), image.height(), grey);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(out, "png", bytes)) {
        throw new IllegalStateException("no PNG writer available");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static int rank(int n, double percentile) {
    return (int) Math.min(n - 1, Math.max(0, Math.round(percentile / 100 * (n - 1))));
  }
}
