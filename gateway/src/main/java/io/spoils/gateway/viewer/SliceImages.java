package io.spoils.gateway.viewer;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.dicom.DecodeBudget;
import io.spoils.feature.dicom.DecodeLimits;
import io.spoils.feature.dicom.DicomReader;
import io.spoils.feature.dicom.DicomSlice;
import io.spoils.feature.dicom.Series;
import io.spoils.feature.dicom.StudyAssembler;
import io.spoils.feature.image.GreyImage;
import io.spoils.gateway.pipeline.AnalysisRequest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
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
    DicomReader reader = DicomReader.create();
    DecodeBudget budget = DecodeBudget.of(DecodeLimits.fromEnvironment(System.getenv()));
    List<DicomSlice> slices = new ArrayList<>();
    for (AnalysisRequest.DicomInput file : files) {
      try {
        slices.add(reader.read(file.data(), budget));
      } catch (InvalidInputException e) {
        // skipped by the analysis too (FILE_SKIPPED)
      }
    }
    if (slices.isEmpty()) {
      throw new InvalidInputException("none of the files is a readable DICOM image");
    }
    Series series = StudyAssembler.chooseSagittalT2(StudyAssembler.assemble(slices)).series();
    if (index < 0 || index >= series.size()) {
      throw new InvalidInputException("the measured slice is not among the files");
    }
    return series.slices().get(index).image();
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
