package io.spoils.feature.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The hand-made inputs of issue 14 (what a tester did to the gateway on purpose): each is refused
 * with an invalid-input error naming the reason, and none makes the reader allocate anything near
 * what the file declares. "Allocated" is what this thread allocated during the read
 * ({@link Allocation}); the bound is a safety property (a 510-byte file must not cost a 1 GiB
 * array), not a performance figure.
 */
class HostileDicomTest {
  /** Far above what reading these small files needs, far below what they declare. */
  private static final long ALLOCATION_BOUND = 32L << 20;

  private final DicomReader reader = DicomReader.create();

  @Test
  void read_bigEndianHugeRowsTwoPixelBytes_refusedBeforeAllocating() {
    byte[] file = HandMadeDicom.part10(HandMadeDicom.EXPLICIT_BE, hugeImage(HandMadeDicom.bigEndian()));
    assertTrue(file.length < 600, "a tiny file: " + file.length + " bytes");
    assertRefused(() -> reader.read(file), "pixel data holds 2 bytes, fewer than the 536870912 "
        + "that Rows 16384 x Columns 16384 x 1 frame(s) x 2 byte(s) per sample need");
  }

  @Test
  void read_deflatedHugeRowsTwoPixelBytes_refusedBeforeAllocating() {
    byte[] file = HandMadeDicom.deflatedPart10(hugeImage(HandMadeDicom.littleEndian()));
    assertTrue(file.length < 600, "a tiny file: " + file.length + " bytes");
    assertRefused(() -> reader.read(file), "pixel data holds 2 bytes, fewer than the 536870912");
  }

  @Test
  void read_littleEndianHugeRowsTwoPixelBytes_refusedBeforeAllocating() {
    byte[] file = HandMadeDicom.part10(HandMadeDicom.EXPLICIT_LE,
        hugeImage(HandMadeDicom.littleEndian()));
    assertRefused(() -> reader.read(file), "pixel data holds 2 bytes, fewer than the 536870912");
  }

  @Test
  void read_manyFramesDeclaredOneStored_refused() {
    byte[] dataSet = HandMadeDicom.mrHeader(HandMadeDicom.bigEndian(), 4, 4)
        .text(0x0028, 0x0008, "IS", "2147483647").pixelData(new byte[32]).dataSet();
    byte[] file = HandMadeDicom.part10(HandMadeDicom.EXPLICIT_BE, dataSet);
    assertRefused(() -> reader.read(file), "x 2147483647 frame(s)");
  }

  @Test
  void read_deflateBomb_refusedAtTheInflatedLimit() {
    byte[] header = HandMadeDicom.mrHeader(HandMadeDicom.littleEndian(), 4, 4).dataSet();
    byte[] tail = HandMadeDicom.littleEndian().pixelData(new byte[32]).dataSet();
    long zeros = DecodeLimits.DEFAULT_MAX_INFLATED_BYTES + (16L << 20);
    byte[] file = HandMadeDicom.deflateBomb(header, zeros, tail);
    assertTrue(file.length < 2_000_000, "a small upload: " + file.length + " bytes");
    assertRefused(() -> reader.read(file), "inflates to more than the 268435456 bytes left of the "
        + "study's limit of 268435456 inflated bytes");
  }

  @Test
  void read_deflateBombWithinALowerLimit_refusedAtThatLimit() {
    byte[] header = HandMadeDicom.mrHeader(HandMadeDicom.littleEndian(), 4, 4).dataSet();
    byte[] tail = HandMadeDicom.littleEndian().pixelData(new byte[32]).dataSet();
    byte[] file = HandMadeDicom.deflateBomb(header, 8L << 20, tail);
    DecodeBudget budget = DecodeBudget.of(new DecodeLimits(1L << 20, 1L << 20));
    assertRefused(() -> reader.read(java.nio.ByteBuffer.wrap(file), budget),
        "inflates to more than the 1048576 bytes left");
    assertEquals(0, budget.inflatedBytesUsed());
  }

  @Test
  void read_deflated100000NestedSequences_refusedByTheStructureCheck() {
    byte[] dataSet = HandMadeDicom.concat(HandMadeDicom.mrHeader(HandMadeDicom.littleEndian(), 4, 4)
        .nestedSequences(100_000).dataSet(),
        HandMadeDicom.littleEndian().pixelData(new byte[32]).dataSet());
    byte[] file = HandMadeDicom.deflatedPart10(dataSet);
    assertRefused(() -> reader.read(file), "sequences nested deeper than "
        + DicomStructureCheck.MAX_DEPTH);
  }

  @Test
  void read_bigEndian100000NestedSequences_refusedByTheStructureCheck() {
    byte[] dataSet = HandMadeDicom.concat(HandMadeDicom.mrHeader(HandMadeDicom.bigEndian(), 4, 4)
        .nestedSequences(100_000).dataSet(),
        HandMadeDicom.bigEndian().pixelData(new byte[32]).dataSet());
    assertRefused(() -> reader.read(HandMadeDicom.part10(HandMadeDicom.EXPLICIT_BE, dataSet)),
        "sequences nested deeper than " + DicomStructureCheck.MAX_DEPTH);
  }

  @Test
  void read_implicit100000DefinedLengthNestedSequences_refusedByTheStructureCheck() {
    // implicit VR names no SQ, and every length is defined: only the dictionary says "sequence"
    byte[] dataSet = HandMadeDicom.mrHeader(HandMadeDicom.implicitLittleEndian(), 4, 4)
        .definedLengthNesting(100_000).pixelData(new byte[32]).dataSet();
    assertRefused(() -> reader.read(HandMadeDicom.part10(HandMadeDicom.IMPLICIT_LE, dataSet)),
        "sequences nested deeper than " + DicomStructureCheck.MAX_DEPTH);
  }

  @Test
  void read_implicitPixelsThatLookLikeAnItem_stillDecode() {
    // the nesting check reads a defined-length implicit value that opens with an item tag as a
    // sequence, but never Pixel Data: samples 0xFFFE, 0xE000 are legitimate
    byte[] pixels = new byte[32];
    pixels[0] = (byte) 0xFE;
    pixels[1] = (byte) 0xFF;
    pixels[3] = (byte) 0xE0;
    byte[] dataSet = HandMadeDicom.mrHeader(HandMadeDicom.implicitLittleEndian(), 4, 4)
        .pixelData(pixels).dataSet();
    DicomSlice s = reader.read(HandMadeDicom.part10(HandMadeDicom.IMPLICIT_LE, dataSet));
    assertEquals(0xFFFE, s.image().pixels()[0]);
    assertEquals(0xE000, s.image().pixels()[1]);
  }

  @Test
  void read_jpegFrameDeclaring30000Squared_refusedBeforeTheCodec() throws Exception {
    byte[] jpeg = jpeg(64, 48);
    int sof = indexOfBaselineSof(jpeg);
    jpeg[sof + 5] = (byte) (30000 >> 8);
    jpeg[sof + 6] = (byte) 30000;
    jpeg[sof + 7] = (byte) (30000 >> 8);
    jpeg[sof + 8] = (byte) 30000;
    byte[] file = jpegFile(jpeg, 48, 64);
    assertTrue(file.length < 4096, "a small file: " + file.length + " bytes");
    assertRefused(() -> reader.read(file), "a frame header declares 30000 lines of 30000 samples "
        + "with 1 component(s), which does not fit the image's Rows 48 x Columns 64");
  }

  @Test
  void read_jpegFrameFittingTheImage_decodes() throws Exception {
    DicomSlice s = reader.read(jpegFile(jpeg(64, 48), 48, 64));
    assertEquals(48, s.rows());
    assertEquals(64, s.columns());
    assertEquals("JPEG Baseline (Process 1)", s.transferSyntaxName());
  }

  @Test
  void read_metaGroupLengthPastTheMeta_ignoredWithoutCost() throws Exception {
    // (0002,0000) says 16384 bytes of meta information where there are about a hundred: PixelMed
    // trusted it and spent seconds and a gigabyte of garbage on the misread data set
    byte[] file = jpegFile(jpeg(64, 48), 48, 64);
    assertEquals(0x84, indexOf(file, new byte[] {2, 0, 0, 0, 'U', 'L', 4, 0}));
    file[0x8C] = 0;
    file[0x8D] = 0x40;
    file[0x8E] = 0;
    file[0x8F] = 0;
    DicomSlice[] read = new DicomSlice[1];
    long allocated = Allocation.ofThisThread(() -> read[0] = reader.read(file));
    assertEquals(48, read[0].rows());
    assertTrue(allocated < ALLOCATION_BOUND, () -> "allocated " + allocated + " bytes");
  }

  private static int indexOf(byte[] b, byte[] what) {
    for (int i = 0; i + what.length <= b.length; i++) {
      if (java.util.Arrays.equals(b, i, i + what.length, what, 0, what.length)) {
        return i;
      }
    }
    return -1;
  }

  /** An 8-bit greyscale ramp as a baseline JPEG (the JDK's own encoder). */
  private static byte[] jpeg(int width, int height) throws java.io.IOException {
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(width, height,
        java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        img.getRaster().setSample(x, y, 0, (x * 4 + y) & 0xFF);
      }
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    assertTrue(javax.imageio.ImageIO.write(img, "jpeg", out), "a JPEG writer");
    return out.toByteArray();
  }

  private static int indexOfBaselineSof(byte[] jpeg) {
    for (int i = 2; i + 1 < jpeg.length; i++) {
      if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xC0) {
        return i;
      }
    }
    throw new AssertionError("no SOF0 marker");
  }

  /** {@code jpeg} as the one fragment of an 8-bit MR image in JPEG Baseline. */
  private static byte[] jpegFile(byte[] jpeg, int rows, int columns) {
    byte[] dataSet = HandMadeDicom.mrHeader(HandMadeDicom.littleEndian(), rows, columns, 8)
        .encapsulatedPixelData(jpeg).dataSet();
    return HandMadeDicom.part10("1.2.840.10008.1.2.4.50", dataSet);
  }

  /** Rows = Columns = 16384 (the largest accepted), 16 bits, and two bytes of pixel data. */
  private static byte[] hugeImage(HandMadeDicom d) {
    return HandMadeDicom.mrHeader(d, 16384, 16384).pixelData(new byte[2]).dataSet();
  }

  /** Refused with {@code reason}, a message fit for callers, and no large allocation. */
  private static void assertRefused(Executable read, String reason) {
    InvalidInputException[] thrown = new InvalidInputException[1];
    long allocated = Allocation.ofThisThread(() ->
        thrown[0] = assertThrows(InvalidInputException.class, read));
    String message = thrown[0].getMessage();
    assertTrue(message.contains(reason), () -> "message was: " + message);
    Messages.assertFitForCallers(message);
    assertTrue(allocated < ALLOCATION_BOUND, () -> "allocated " + allocated + " bytes");
  }
}
