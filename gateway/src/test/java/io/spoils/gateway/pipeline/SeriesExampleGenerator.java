package io.spoils.gateway.pipeline;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DecimalStringAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import io.spoils.feature.tooling.dicom.DicomWriter;
import io.spoils.feature.tooling.dicom.MrParams;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.ImageFiles;
import io.spoils.feature.image.PixelSpacing;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Makes the bundled series example {@code gateway/examples/spider-series/} from the SPIDER
 * development data ({@code ../shared/data/spider-t2space}): {@value #COUNT} consecutive slices of
 * patient {@value #PATIENT} (a training patient of {@code triton-models/training/split.json}),
 * slices {@value #FIRST_SLICE} to {@code FIRST_SLICE + COUNT - 1}. SPIDER's centre slice (the
 * largest reference canal area) is slice {@value #CENTRE_SLICE}, the fourth file, while the
 * geometric centre of the ten is the fifth: a series not centred on the spine, as acquisitions
 * often are not.
 *
 * <p>Each file: MR, sagittal (ImageOrientationPatient 0\1\0\0\0\-1), ImagePositionPatient
 * {@code (-k * 1.0, 0, 0)} for the k-th slice (so position along the normal grows with k),
 * SpacingBetweenSlices 1.0 mm and SliceThickness 0.9 mm (the patient's row of SPIDER's
 * {@code series.csv}), PixelSpacing 0.46875 mm, TE 120 ms / TR 2000 ms (a T2 SPACE), 16-bit values
 * equal to the PNG's 0-255 values, empty patient module, fresh UIDs, one series; written with the
 * Deflated Explicit VR Little Endian transfer syntax so that each file stays under 300 KB (about
 * 260 KB).
 * Run from the repository root:
 * {@code java -cp gateway/target/test-classes:gateway/target/classes:$(cat cp.txt)
 * io.spoils.gateway.pipeline.SeriesExampleGenerator [SPIDER_DIR] [OUT_DIR]}
 * ({@code SeriesExampleTest} checks the result).
 */
public final class SeriesExampleGenerator {

  static final int PATIENT = 5;
  static final int FIRST_SLICE = 56;
  static final int COUNT = 10;
  static final int CENTRE_SLICE = 59;
  static final double SPACING_BETWEEN_SLICES_MM = 1.0;
  static final double SLICE_THICKNESS_MM = 0.9;
  static final PixelSpacing SPACING = ExampleDicomGenerator.SPACING;

  private SeriesExampleGenerator() {
  }

  /** The file name of the k-th slice (0-based). */
  static String fileName(int k) {
    return String.format("slice%02d.dcm", FIRST_SLICE + k);
  }

  /** The PNG of the k-th slice in the SPIDER folder. */
  static Path png(Path spider, int k) {
    return spider.resolve("images").resolve(String.format("%03d_slice%d.png", PATIENT,
        FIRST_SLICE + k));
  }

  /** The k-th slice of the series {@code seriesUid} as a deflated DICOM file. */
  static byte[] encode(GreyImage image, String seriesUid, String studyUid, int k) {
    MrParams params = new MrParams(seriesUid, studyUid, 1, k + 1, MrParams.sagittal(),
        new double[] {-k * SPACING_BETWEEN_SLICES_MM, 0, 0}, SLICE_THICKNESS_MM,
        ExampleDicomGenerator.ECHO_TIME_MS, ExampleDicomGenerator.REPETITION_TIME_MS, false, 1.0,
        0.0);
    try {
      AttributeList list = new AttributeList();
      list.read(new DicomInputStream(new ByteArrayInputStream(DicomWriter.writeMr(image,
          params))));
      DecimalStringAttribute between = new DecimalStringAttribute(
          TagFromName.SpacingBetweenSlices);
      between.addValue(SPACING_BETWEEN_SLICES_MM);
      list.put(between);
      list.removeGroupLengthAttributes();
      list.removeMetaInformationHeaderAttributes();
      FileMetaInformation.addFileMetaInformation(list,
          TransferSyntax.DeflatedExplicitVRLittleEndian, "SPOILS");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      list.write(out, TransferSyntax.DeflatedExplicitVRLittleEndian, true, true);
      return out.toByteArray();
    } catch (IOException | DicomException e) {
      throw new IllegalStateException("cannot encode the series example", e);
    }
  }

  public static void main(String[] args) throws IOException {
    Path spider = Paths.get(args.length > 0 ? args[0] : "../shared/data/spider-t2space");
    Path out = Paths.get(args.length > 1 ? args[1] : "gateway/examples/spider-series");
    Files.createDirectories(out);
    String series = DicomWriter.newUid();
    String study = DicomWriter.newUid();
    for (int k = 0; k < COUNT; k++) {
      GreyImage image = ImageFiles.readGrey(png(spider, k), SPACING);
      Files.write(out.resolve(fileName(k)), encode(image, series, study, k));
    }
  }
}
