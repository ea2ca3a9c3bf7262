package io.spoils.gateway.pipeline;

import io.spoils.feature.tooling.dicom.DicomWriter;
import io.spoils.feature.tooling.dicom.EnhancedMrWriter;
import io.spoils.feature.tooling.dicom.MrParams;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.ImageFiles;
import io.spoils.feature.image.LabelMap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A synthetic sagittal series of {@value #SLICES} slices, {@value #SPACING_MM} mm apart, built
 * from the bundled example (relative to the gateway module): every slice has the example's pixels,
 * and its segmentation ({@link #masks()}, for {@link io.spoils.gateway.testing.ExampleBackend#forSeries}) is the example's expert mask
 * changed per slice, so the truth is known:
 * <ul>
 *   <li>the spinal canal keeps the top {@link #CANAL_FRACTION} of its rows, widest on slice
 *       {@value #WIDEST_CANAL}, while the geometric centre is slice {@value #CENTRE};
 *   <li>every disc is whole on slices 0-4, absent on slice 5, and whole again on slice 6 (beyond a
 *       gap, so not the same discs): each disc's volume is 5 x its area x the spacing.
 * </ul>
 * Instance numbers run against the spatial order (slice k is instance {@code SLICES - k}).
 */
public final class SyntheticSeries {

  public static final int SLICES = 7;
  public static final double SPACING_MM = 2.0;
  public static final int CENTRE = 3;
  public static final int WIDEST_CANAL = 1;
  /** Slices (0-4) on which each disc is counted into its volume. */
  public static final int DISC_SLICES = 5;
  /**
   * Relative tolerance of a disc's volume against {@link #DISC_SLICES} x its area on the expert
   * mask x the spacing ({@link #discAreasMm2FromBottom}): the volume is summed from the series
   * pass on the spine's box ({@code SeriesSegmenter}), whose 0.8 mm grid starts at the box's corner;
   * a thin disc (T12-L1, about 6 grid pixels high) gains or loses a pixel row with that grid's phase
   * (-9 % here), and the thoracic disc cut by the top of the image loses 6 %.
   */
  public static final double VOLUME_TOLERANCE = 0.12;
  static final double[] CANAL_FRACTION = {0.5, 1.0, 0.75, 0.6, 0.45, 0.3, 0.2};

  private final LabelMap mask;
  private final GreyImage image;

  /** Reads the bundled example. */
  public SyntheticSeries() {
    Path example = Path.of("examples/spider");
    mask = ImageFiles.readMask(example.resolve("mask.png"), ExampleDicomGenerator.SPACING);
    image = ImageFiles.readGrey(example.resolve("image.png"), ExampleDicomGenerator.SPACING);
  }

  /** The example's expert mask (slices 0-4 have its discs). */
  public LabelMap exampleMask() {
    return mask;
  }

  /** The segmentation of each slice, spatial order. */
  public List<LabelMap> masks() {
    List<LabelMap> out = new ArrayList<>();
    for (int k = 0; k < SLICES; k++) {
      out.add(slice(CANAL_FRACTION[k], k != DISC_SLICES));
    }
    return out;
  }

  /**
   * The DICOM files, one per slice.
   *
   * @param positions whether the files carry ImagePositionPatient (else the series is ordered by
   *     instance number and its spacing is the slice thickness, 4 mm)
   */
  public List<byte[]> dicom(boolean positions) {
    String series = DicomWriter.newUid();
    List<byte[]> out = new ArrayList<>();
    for (int k = 0; k < SLICES; k++) {
      // without positions the instance numbers alone give the order: keep it spatial
      int instance = positions ? SLICES - k : k + 1;
      MrParams p = MrParams.of(series).withInstance(instance)
          // the sagittal normal points to -x: slice k at x = -2k mm is k-th along it
          .withGeometry(MrParams.sagittal(), positions ? new double[] {-SPACING_MM * k, 0, 0} : null)
          .withTiming(ExampleDicomGenerator.ECHO_TIME_MS, ExampleDicomGenerator.REPETITION_TIME_MS);
      out.add(DicomWriter.writeMr(image, p));
    }
    return out;
  }

  /** The files as a request. */
  public AnalysisRequest request(boolean positions, boolean computeVolume) {
    List<AnalysisRequest.DicomInput> files = new ArrayList<>();
    List<byte[]> dicom = dicom(positions);
    for (int k = 0; k < dicom.size(); k++) {
      files.add(new AnalysisRequest.DicomInput("slice" + k + ".dcm", dicom.get(k)));
    }
    return new AnalysisRequest(files, java.util.Optional.empty(), computeVolume);
  }

  /**
   * The series as one enhanced MR object ({@link EnhancedMrWriter}): the same slices and
   * positions as {@link #dicom(boolean) dicom(true)}, frames written from the last slice to the
   * first (the reader orders them by position).
   */
  public AnalysisRequest enhancedRequest(boolean computeVolume) {
    List<GreyImage> frames = new ArrayList<>();
    List<double[]> positions = new ArrayList<>();
    for (int k = SLICES - 1; k >= 0; k--) {
      frames.add(image);
      positions.add(new double[] {-SPACING_MM * k, 0, 0});
    }
    MrParams p = MrParams.of(DicomWriter.newUid()).withGeometry(MrParams.sagittal(), null)
        .withTiming(ExampleDicomGenerator.ECHO_TIME_MS, ExampleDicomGenerator.REPETITION_TIME_MS);
    return new AnalysisRequest(List.of(new AnalysisRequest.DicomInput("series.dcm",
        EnhancedMrWriter.write(frames, p, positions))), java.util.Optional.empty(), computeVolume);
  }

  /** Area of each disc of the example's expert mask, mm², the lowest first. */
  public List<Double> discAreasMm2FromBottom() {
    return io.spoils.feature.geometry.SliceAnatomy.of(mask).discs().stream()
        .sorted(java.util.Comparator.comparingDouble(
            io.spoils.feature.geometry.SliceAnatomy.DiscPiece::centroidY).reversed())
        .map(io.spoils.feature.geometry.SliceAnatomy.DiscPiece::areaMm2).toList();
  }

  public int discPixels() {
    int n = 0;
    for (byte b : mask.labels()) {
      n += (b & 0xFF) == 29 ? 1 : 0;
    }
    return n;
  }

  private LabelMap slice(double canalFraction, boolean discs) {
    int top = Integer.MAX_VALUE;
    int bottom = -1;
    for (int p = 0; p < mask.labels().length; p++) {
      if ((mask.labels()[p] & 0xFF) == 150) {
        top = Math.min(top, p / mask.width());
        bottom = Math.max(bottom, p / mask.width());
      }
    }
    int lastCanalRow = top + (int) Math.round(canalFraction * (bottom - top + 1)) - 1;
    byte[] labels = mask.labels().clone();
    for (int p = 0; p < labels.length; p++) {
      int v = labels[p] & 0xFF;
      if (v == 150 && p / mask.width() > lastCanalRow || v == 29 && !discs) {
        labels[p] = 0;
      }
    }
    return new LabelMap(mask.width(), mask.height(), labels, mask.spacing(), mask.scheme());
  }
}
