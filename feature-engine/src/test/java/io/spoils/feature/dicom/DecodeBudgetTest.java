package io.spoils.feature.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.image.PixelSpacing;
import io.spoils.feature.tooling.dicom.DicomWriter;
import io.spoils.feature.tooling.dicom.MrParams;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One study's {@link DecodeBudget} as the reader spends it, and {@link DecodeLimits}' sources. */
class DecodeBudgetTest {
  private final DicomReader reader = DicomReader.create();

  @Test
  void read_filesOfOneBudget_pixelsAddUpUntilRefused() {
    byte[] file = slice(8, 6);
    DecodeBudget budget = DecodeBudget.of(new DecodeLimits(2 * 48 + 10, 1));
    reader.read(ByteBuffer.wrap(file), budget);
    reader.read(ByteBuffer.wrap(file), budget);
    assertEquals(96, budget.pixelsUsed());
    DecodeBudgetExceededException e = assertThrows(DecodeBudgetExceededException.class,
        () -> reader.read(ByteBuffer.wrap(file), budget));
    assertTrue(e.getMessage().contains("needs 48 pixels decoded (Rows x Columns) but only 10 of "
        + "the study's decoding budget of 106 pixels are left"), e.getMessage());
    assertEquals(96, budget.pixelsUsed());
  }

  @Test
  void read_bigEndianMultiFrame_claimsEveryFrame() {
    byte[] dataSet = HandMadeDicom.mrHeader(HandMadeDicom.bigEndian(), 4, 4)
        .text(0x0028, 0x0008, "IS", "3").pixelData(new byte[96]).dataSet();
    DecodeBudget budget = DecodeBudget.of(DecodeLimits.defaults());
    reader.read(ByteBuffer.wrap(HandMadeDicom.part10(HandMadeDicom.EXPLICIT_BE, dataSet)), budget);
    assertEquals(48, budget.pixelsUsed());
  }

  @Test
  void read_deflated_inflatedBytesClaimedAndPixelsEqualPlain() {
    byte[] plain = slice(7, 5);
    int at = DicomStructureCheck.check(plain).dataSetOffset();
    byte[] deflated = HandMadeDicom.deflatedPart10(java.util.Arrays.copyOfRange(plain, at,
        plain.length));
    DecodeBudget budget = DecodeBudget.of(DecodeLimits.defaults());
    DicomSlice s = reader.read(ByteBuffer.wrap(deflated), budget);
    assertEquals(plain.length - at, budget.inflatedBytesUsed());
    assertEquals(DicomStructureCheck.DEFLATED_LE, s.transferSyntaxUid());
    assertEquals("Deflated Explicit VR Little Endian", s.transferSyntaxName());
    org.junit.jupiter.api.Assertions.assertArrayEquals(reader.read(plain).image().pixels(),
        s.image().pixels());
  }

  @Test
  void read_deflatedReadOnlyViewOrDirectBuffer_sameAsArray() {
    byte[] plain = slice(6, 9);
    int at = DicomStructureCheck.check(plain).dataSetOffset();
    byte[] file = HandMadeDicom.deflatedPart10(java.util.Arrays.copyOfRange(plain, at, plain.length));
    float[] expected = reader.read(file).image().pixels();
    byte[] padded = new byte[file.length + 7];
    System.arraycopy(file, 0, padded, 3, file.length);
    ByteBuffer view = ByteBuffer.wrap(padded, 3, file.length).asReadOnlyBuffer();
    org.junit.jupiter.api.Assertions.assertArrayEquals(expected, reader.read(view).image().pixels());
    assertEquals(3, view.position());
    ByteBuffer direct = ByteBuffer.allocateDirect(file.length).put(file).flip();
    org.junit.jupiter.api.Assertions.assertArrayEquals(expected,
        reader.read(direct).image().pixels());
  }

  @Test
  void read_stopThrows_itsExceptionPassesUnchanged() {
    IllegalStateException stop = new IllegalStateException("deadline");
    DecodeBudget budget = DecodeBudget.of(DecodeLimits.defaults(), () -> {
      throw stop;
    });
    assertSame(stop, assertThrows(IllegalStateException.class,
        () -> reader.read(ByteBuffer.wrap(slice(4, 4)), budget)));
  }

  @Test
  void read_largeDeflatedFile_stopCheckedWhileInflating() {
    byte[] header = HandMadeDicom.mrHeader(HandMadeDicom.littleEndian(), 4, 4).dataSet();
    byte[] tail = HandMadeDicom.littleEndian().pixelData(new byte[32]).dataSet();
    byte[] file = HandMadeDicom.deflateBomb(header, 64L << 20, tail);
    AtomicInteger checks = new AtomicInteger();
    IllegalStateException stop = new IllegalStateException("deadline");
    DecodeBudget budget = DecodeBudget.of(DecodeLimits.defaults(), () -> {
      if (checks.incrementAndGet() > 3) {
        throw stop;
      }
    });
    assertSame(stop, assertThrows(IllegalStateException.class,
        () -> reader.read(ByteBuffer.wrap(file), budget)));
    assertEquals(0, budget.inflatedBytesUsed());
  }

  @Test
  void fromEnvironment_overridesDefaultsAndRefusesNonsense() {
    assertEquals(DecodeLimits.defaults(), DecodeLimits.fromEnvironment(Map.of()));
    assertEquals(new DecodeLimits(1000, 2000), DecodeLimits.fromEnvironment(Map.of(
        DecodeLimits.ENV_MAX_PIXELS, "1000", DecodeLimits.ENV_MAX_INFLATED_BYTES, " 2000 ")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DecodeLimits.fromEnvironment(Map.of(DecodeLimits.ENV_MAX_PIXELS, "0")));
    assertTrue(e.getMessage().startsWith(DecodeLimits.ENV_MAX_PIXELS), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> DecodeLimits.fromEnvironment(
        Map.of(DecodeLimits.ENV_MAX_INFLATED_BYTES, "lots")));
  }

  private static byte[] slice(int columns, int rows) {
    return DicomWriter.writeMr(Synthetic.ramp(columns, rows, new PixelSpacing(1, 1), 1),
        MrParams.of(DicomWriter.newUid()));
  }
}
