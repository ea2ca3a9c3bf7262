package io.spoils.feature.dicom;

import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.PixelSpacing;
import io.spoils.feature.tooling.dicom.DicomWriter;
import io.spoils.feature.tooling.dicom.MrParams;

/** Synthetic images and slices for tests, written and read back through the real DICOM path. */
final class Synthetic {
  private Synthetic() {}

  /** A width x height ramp image with a marker value {@code seed} at pixel (0,0). */
  static GreyImage ramp(int width, int height, PixelSpacing spacing, int seed) {
    float[] px = new float[width * height];
    for (int i = 0; i < px.length; i++) {
      px[i] = (i * 7 + seed * 13) % 4000;
    }
    px[0] = seed;
    return new GreyImage(width, height, px, spacing);
  }

  /** Writes and reads back one slice; {@code seed} marks the image so tests can tell slices apart. */
  static DicomSlice slice(MrParams params, int seed) {
    GreyImage img = ramp(8, 6, new PixelSpacing(0.5, 0.5), seed);
    return DicomReader.create().read(DicomWriter.writeMr(img, params));
  }

  /** Sagittal slice at x = {@code xMm}. */
  static DicomSlice sagittalAt(MrParams base, int instance, double xMm) {
    return slice(base.withInstance(instance).withGeometry(MrParams.sagittal(), new double[] {xMm, -50, 80}),
        instance);
  }
}
