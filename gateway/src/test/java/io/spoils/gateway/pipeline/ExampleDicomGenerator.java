package io.spoils.gateway.pipeline;

import io.spoils.feature.tooling.dicom.DicomWriter;
import io.spoils.feature.tooling.dicom.MrParams;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.ImageFiles;
import io.spoils.feature.image.PixelSpacing;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Makes the bundled example {@code gateway/examples/spider/slice.dcm} from {@code image.png} (one
 * SPIDER slice): MR, sagittal (ImageOrientationPatient 0\1\0\0\0\-1), PixelSpacing 0.46875 mm,
 * TE 120 ms / TR 2000 ms (a T2 SPACE), 16-bit values equal to the PNG's 0-255 values, empty patient
 * module, fresh UIDs. Run from the repository root:
 * {@code java -cp gateway/target/test-classes:gateway/target/classes:$(cat cp.txt)
 * io.spoils.gateway.pipeline.ExampleDicomGenerator} (ExampleDicomTest checks the result).
 */
public final class ExampleDicomGenerator {

  /** The example's pixel spacing (row, column), mm, as in the SPIDER data set. */
  static final PixelSpacing SPACING = new PixelSpacing(0.46875, 0.46875);
  static final double ECHO_TIME_MS = 120;
  static final double REPETITION_TIME_MS = 2000;

  private ExampleDicomGenerator() {
  }

  /** The example slice as DICOM bytes. */
  static byte[] encode(Path png) {
    GreyImage image = ImageFiles.readGrey(png, SPACING);
    MrParams params = MrParams.of(DicomWriter.newUid())
        .withGeometry(MrParams.sagittal(), new double[] {0, 0, 0})
        .withTiming(ECHO_TIME_MS, REPETITION_TIME_MS);
    return DicomWriter.writeMr(image, params);
  }

  public static void main(String[] args) throws Exception {
    Path dir = Paths.get(args.length > 0 ? args[0] : "gateway/examples/spider");
    java.nio.file.Files.write(dir.resolve("slice.dcm"), encode(dir.resolve("image.png")));
  }
}
