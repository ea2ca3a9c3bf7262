package io.spoils.feature.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.spoils.feature.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real-world files: pydicom's test corpus (system property {@code spoils.data.pydicom}); skipped when
 * absent.
 *
 * <p>Which {@code MR_small} encodings PixelMed (20220618, with pixelmed-imageio) decodes, found by
 * running this test: implicit VR little endian, explicit VR big endian ({@code _bigendian},
 * {@code _expb}), RLE lossless and the padded variant decode to exactly the pixels of the explicit
 * little endian reference. JPEG-LS lossless ({@code _jpeg_ls_lossless}) and JPEG 2000 lossless
 * ({@code _jp2klossless}) do not: no codec is available, and the reader says so naming the transfer
 * syntax. pixelmed-imageio only adds JPEG lossless (process 14); JPEG extended (12-bit lossy) is not
 * decoded either.
 */
class DicomCorpusTest {
  private static final DicomReader READER = DicomReader.create();

  /** Expected outcome per MR_small variant: "" identical pixels, else a fragment of the reason. */
  private static final Map<String, String> MR_SMALL = Map.of(
      "MR_small_implicit.dcm", "",
      "MR_small_bigendian.dcm", "",
      "MR_small_expb.dcm", "",
      "MR_small_RLE.dcm", "",
      "MR_small_padded.dcm", "",
      "MR_small_jpeg_ls_lossless.dcm", "JPEG-LS Lossless (1.2.840.10008.1.2.4.80) cannot be decoded",
      "MR_small_jp2klossless.dcm", "JPEG 2000 (Lossless Only) (1.2.840.10008.1.2.4.90) cannot be decoded");

  static Path corpus() {
    String dir = System.getProperty("spoils.data.pydicom");
    Assumptions.assumeTrue(dir != null && Files.isDirectory(Path.of(dir)),
        "pydicom test corpus not found (system property spoils.data.pydicom); skipping corpus tests");
    return Path.of(dir);
  }

  static Stream<Path> mrSmallVariants() throws IOException {
    try (Stream<Path> files = Files.list(corpus())) {
      List<Path> list = files.filter(p -> p.getFileName().toString().matches("MR_small.*\\.dcm"))
          .filter(p -> !p.getFileName().toString().equals("MR_small.dcm")).sorted().toList();
      return list.stream();
    }
  }

  static Stream<Path> everyFile() throws IOException {
    try (Stream<Path> files = Files.walk(corpus())) {
      return files.filter(Files::isRegularFile).sorted().toList().stream();
    }
  }

  @Test
  void mrSmall_reference() {
    DicomSlice ref = READER.read(corpus().resolve("MR_small.dcm"));
    assertEquals(64, ref.rows());
    assertEquals(64, ref.columns());
    assertEquals("MR", ref.modality());
    assertEquals("1.2.840.10008.1.2.1", ref.transferSyntaxUid());
    // First two little endian words of the file's Pixel Data value, read independently of PixelMed.
    assertEquals(905f, ref.image().get(0, 0));
    assertEquals(1019f, ref.image().get(1, 0));
  }

  @Test
  void mrSmall_allDocumentedVariantsPresent() throws IOException {
    List<String> names = mrSmallVariants().map(p -> p.getFileName().toString()).toList();
    assertTrue(names.containsAll(MR_SMALL.keySet()), () -> "corpus lacks some of " + MR_SMALL.keySet());
  }

  @ParameterizedTest
  @MethodSource("mrSmallVariants")
  void mrSmall_variantMatchesReferenceOrNamesTransferSyntax(Path file) {
    DicomSlice ref = READER.read(corpus().resolve("MR_small.dcm"));
    String expected = MR_SMALL.get(file.getFileName().toString());
    try {
      DicomSlice s = READER.read(file);
      assertTrue(expected == null || expected.isEmpty(), () -> "expected failure: " + expected);
      assertArrayEquals(ref.image().pixels(), s.image().pixels());
      assertEquals(ref.spacing(), s.spacing());
    } catch (InvalidInputException e) {
      if (expected == null) {
        assertTrue(e.getMessage().contains("cannot be decoded"), e.getMessage());
      } else {
        assertFalse(expected.isEmpty(), () -> "expected identical pixels, got: " + e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
      }
    }
  }

  /** The corpus files the reader reads (the others are checked for their reasons elsewhere). */
  static Stream<Path> readableFiles() throws IOException {
    return everyFile().filter(file -> {
      try {
        READER.read(Files.readAllBytes(file));
        return true;
      } catch (InvalidInputException | IOException e) {
        return false;
      }
    });
  }

  /**
   * Native little endian pixel data is read straight from the input, everything else by PixelMed:
   * on every corpus file that reads, the pixels equal PixelMed's own decoding.
   */
  @ParameterizedTest
  @MethodSource("readableFiles")
  void everyReadableFile_pixelsEqualPixelMedDecoding(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    assertArrayEquals(PixelMedDicomReader.pixelMedFrameZero(java.nio.ByteBuffer.wrap(bytes)),
        READER.read(bytes).image().pixels(), file.getFileName().toString());
  }

  @Test
  void mrTruncated_clearReason() {
    DicomReaderTest.assertReason(() -> READER.read(corpus().resolve("MR_truncated.dcm")), "truncated");
  }

  @Test
  void nonImages_clearReason() {
    DicomReaderTest.assertReason(() -> READER.read(corpus().resolve("rtplan.dcm")), "no pixel data");
    DicomReaderTest.assertReason(() -> READER.read(corpus().resolve("zipMR.gz")), "not a DICOM file");
    DicomReaderTest.assertReason(() -> READER.read(corpus().resolve("SC_rgb_rle.dcm")), "colour");
  }

  @ParameterizedTest
  @MethodSource("everyFile")
  void everyFile_readsOrInvalidInput(Path file) {
    // Generous hang guard only; a file takes milliseconds.
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      try {
        DicomSlice s = READER.read(file);
        assertTrue(s.rows() > 0 && s.columns() > 0);
      } catch (InvalidInputException e) {
        assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "blank reason");
      } catch (Throwable t) {
        fail("unexpected " + t.getClass().getName() + " for " + file.getFileName(), t);
      }
    });
  }
}
