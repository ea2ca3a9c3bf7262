package io.spoils.feature.tensor;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.PixelSpacing;

/**
 * Input of the {@code disc_grading} model (CONTRACT.md): a {@value #FIELD_MM} mm square centred on
 * a disc centroid, axis-aligned with the image, sampled on a {@value #SIZE} x {@value #SIZE} grid
 * ({@value #MM_PER_PIXEL} mm per crop pixel, whatever the image's own spacing), then z-scored.
 *
 * <p>Crop pixel (i, j) samples the image at {@code x = cx + ((j + 0.5) - 64) * 0.5 / colMm},
 * {@code y = cy + ((i + 0.5) - 64) * 0.5 / rowMm} by bilinear interpolation in float64
 * ({@code x0 = floor(x)}, {@code x1 = x0 + 1}, weight {@code x - x0}), with each corner index
 * clamped to the image (so points beyond the border take the border pixel's value).
 */
public final class DiscCrop {

  /** Crop side in pixels. */
  public static final int SIZE = 128;
  /** Physical size of one crop pixel, mm. */
  public static final double MM_PER_PIXEL = 0.5;
  /** Physical side of the crop, mm. */
  public static final double FIELD_MM = SIZE * MM_PER_PIXEL;
  /** Name of the model input tensor. */
  public static final String INPUT_NAME = "crop";

  private DiscCrop() {
  }

  /** Shape of one item, without the batch dimension: {@code [1, 128, 128]}. */
  public static long[] itemShape() {
    return new long[] {1, SIZE, SIZE};
  }

  /**
   * The crop around one disc.
   *
   * @param image grey image with its pixel spacing
   * @param cx centroid column (mean of the disc pixels' column indices), pixels
   * @param cy centroid row (mean of the disc pixels' row indices), pixels
   * @return FP32 tensor of shape {@code [1, 128, 128]}, z-scored
   * @throws InvalidInputException when the centroid is not finite or lies outside the image, or the
   *     image holds NaN or infinite values
   */
  public static FloatTensor extract(GreyImage image, double cx, double cy) {
    return extract(image, cx, cy, false);
  }

  /**
   * As {@link #extract(GreyImage, double, double)}, mirrored left to right when {@code mirrored}:
   * crop column {@code j} samples where column {@code 127 - j} would. The model learnt from
   * sagittal images with the patient's front on the left; an image stored the other way round
   * (its rows running from posterior to anterior) gives the crop the model knows.
   */
  public static FloatTensor extract(GreyImage image, double cx, double cy, boolean mirrored) {
    if (!Double.isFinite(cx) || !Double.isFinite(cy) || cx < 0 || cy < 0
        || cx > image.width() - 1 || cy > image.height() - 1) {
      throw new InvalidInputException("disc centroid is outside the image");
    }
    double[] crop = new double[SIZE * SIZE];
    double sum = sampleGrid(image, cx, cy, crop, mirrored);
    return new FloatTensor(itemShape(), ZScore.normalise(crop, sum));
  }

  /** The crop before normalisation: 128 x 128 float64 samples, row-major. */
  static double[] sampleGrid(GreyImage image, double cx, double cy) {
    double[] crop = new double[SIZE * SIZE];
    sampleGrid(image, cx, cy, crop);
    return crop;
  }

  /**
   * Fills {@code crop} with the samples of {@link #sampleGrid(GreyImage, double, double)} and
   * returns their float64 sum in index order (for {@link ZScore}, without another pass).
   *
   * <p>{@link #sample} interpolates along the row first ({@code top}, {@code bottom}), and those
   * values depend on the column and the source row only: each source row is interpolated once at
   * the 128 columns ({@link CropRows}) and every crop row combines two of them; the arithmetic per
   * sample is {@link #sample}'s.
   */
  static double sampleGrid(GreyImage image, double cx, double cy, double[] crop) {
    return sampleGrid(image, cx, cy, crop, false);
  }

  private static double sampleGrid(GreyImage image, double cx, double cy, double[] crop,
      boolean mirrored) {
    double[] ys = samplePositions(cy, image.spacing().rowMm());
    CropRows rows = new CropRows(image, samplePositions(cx, image.spacing().colMm()));
    double sum = 0;
    for (int i = 0; i < SIZE; i++) {
      double fy = Math.floor(ys[i]);
      double wy = ys[i] - fy;
      double[] top = rows.row(clamp(fy, image.height()));
      double[] bottom = rows.row(clamp(fy + 1, image.height()));
      for (int j = 0, o = i * SIZE; j < SIZE; j++, o++) {
        double v = (1 - wy) * top[j] + wy * bottom[j];
        crop[o] = v;
        sum += v;
      }
    }
    if (mirrored) {
      // the sample positions are symmetric about the centroid: column j mirrored is the sample
      // of column 127 - j
      for (int i = 0; i < SIZE; i++) {
        for (int a = i * SIZE, b = a + SIZE - 1; a < b; a++, b--) {
          double t = crop[a];
          crop[a] = crop[b];
          crop[b] = t;
        }
      }
    }
    return sum;
  }

  /** Image coordinates of the crop's pixel centres along one axis. */
  private static double[] samplePositions(double centre, double imageMmPerPixel) {
    double[] out = new double[SIZE];
    for (int k = 0; k < SIZE; k++) {
      out[k] = centre + ((k + 0.5) - SIZE / 2) * MM_PER_PIXEL / imageMmPerPixel;
    }
    return out;
  }

  /** Bilinear value at (x, y) in float64 with border clamping. */
  static double sample(GreyImage image, double x, double y) {
    double fx = Math.floor(x);
    double fy = Math.floor(y);
    double wx = x - fx;
    double wy = y - fy;
    int x0 = clamp(fx, image.width());
    int x1 = clamp(fx + 1, image.width());
    int y0 = clamp(fy, image.height());
    int y1 = clamp(fy + 1, image.height());
    double top = (1 - wx) * image.get(x0, y0) + wx * image.get(x1, y0);
    double bottom = (1 - wx) * image.get(x0, y1) + wx * image.get(x1, y1);
    return (1 - wy) * top + wy * bottom;
  }

  static int clamp(double index, int length) {
    return (int) Math.max(0, Math.min(length - 1, index));
  }
}
