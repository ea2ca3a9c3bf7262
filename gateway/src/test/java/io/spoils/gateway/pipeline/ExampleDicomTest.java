package io.spoils.gateway.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spoils.feature.dicom.DicomReader;
import io.spoils.feature.dicom.DicomSlice;
import io.spoils.feature.dicom.Orientation;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.ImageFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The bundled slice.dcm is what ExampleDicomGenerator makes from image.png. */
class ExampleDicomTest {

  private static final Path DIR = Path.of("examples/spider");

  @Test
  void sliceDcm_decodesToImagePngAsSagittalT2() {
    DicomSlice slice = DicomReader.create().read(DIR.resolve("slice.dcm"));
    GreyImage png = ImageFiles.readGrey(DIR.resolve("image.png"), ExampleDicomGenerator.SPACING);
    assertArrayEquals(png.pixels(), slice.image().pixels());
    assertEquals(ExampleDicomGenerator.SPACING, slice.spacing());
    assertEquals("MR", slice.modality());
    assertEquals(Orientation.SAGITTAL, slice.orientation());
    assertEquals(ExampleDicomGenerator.ECHO_TIME_MS, slice.echoTimeMs());
    assertEquals(ExampleDicomGenerator.REPETITION_TIME_MS, slice.repetitionTimeMs());
  }

  @Test
  void generator_encodesSamePixelsAsCommittedFile() {
    DicomSlice fresh = DicomReader.create().read(ExampleDicomGenerator.encode(DIR.resolve("image.png")));
    DicomSlice committed = DicomReader.create().read(DIR.resolve("slice.dcm"));
    assertArrayEquals(committed.image().pixels(), fresh.image().pixels());
  }
}
