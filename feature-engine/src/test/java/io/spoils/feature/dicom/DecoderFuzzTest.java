package io.spoils.feature.dicom;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import io.spoils.feature.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A seeded, bounded mutation fuzzer over the reader: mutants of the bundled example slice
 * ({@code gateway/examples/spider/slice.dcm}, system property {@code spoils.example.dicom}; every
 * attribute as bundled, its pixels cropped to the central {@value #CROP} x {@value #CROP} so that a
 * mutant costs the structure's work rather than half a million pixels') in four encodings
 * (explicit little endian as bundled; explicit big endian; deflated, mutated before deflating so
 * that the mutations reach the inflated structure, plus mutations of the compressed bytes
 * themselves; the pixels as a baseline JPEG, 8 bits, and as RLE Lossless, 16 bits, so that
 * mutations reach the codecs). Every outcome must be a decoded slice or an {@link InvalidInputException}
 * whose message is fit for callers, with no other throwable; and no mutant may make the reader
 * allocate more than {@link #ALLOCATION_BOUND} (a safety bound: the example decodes with about a
 * tenth of it). The seed is fixed, so a failure names a mutant that can be replayed; longer
 * explorations: {@code -Dspoils.fuzz.seed=N -Dspoils.fuzz.perEncoding=M}.
 */
class DecoderFuzzTest {
  private static final long SEED = Long.getLong("spoils.fuzz.seed", 14);
  private static final int PER_ENCODING = Integer.getInteger("spoils.fuzz.perEncoding", 1000);
  private static final long ALLOCATION_BOUND = 64L << 20;
  private static final int CROP = 64;
  private static final int ENCODINGS = 6;

  private final DicomReader reader = DicomReader.create();

  @Test
  void read_mutantsOfTheExample_decodeOrInvalidInputOnly() throws Exception {
    AttributeList bundled = cropped(example());
    byte[] example = encode(bundled, TransferSyntax.ExplicitVRLittleEndian);
    byte[] bigEndian = encode(bundled, TransferSyntax.ExplicitVRBigEndian);
    int dataSet = DicomStructureCheck.check(example).dataSetOffset();
    byte[] plain = java.util.Arrays.copyOfRange(example, dataSet, example.length);
    byte[] deflated = HandMadeDicom.deflatedPart10(plain);
    byte[] jpeg = jpegFile(bundled);
    byte[] rle = rleFile(bundled);
    List<String> uids = uids(bundled);
    for (byte[] unmutated : List.of(example, bigEndian, deflated, jpeg, rle)) {
      assertTrue(reader.read(unmutated).rows() == CROP, "every unmutated encoding decodes");
    }
    Random random = new Random(SEED);
    Mutator mutator = new Mutator(random);
    int decoded = 0;
    long[] nanos = new long[ENCODINGS];
    for (int i = 0; i < ENCODINGS * PER_ENCODING; i++) {
      int encoding = i % ENCODINGS;
      long t0 = System.nanoTime();
      byte[] mutant = switch (encoding) {
        case 0 -> mutator.mutate(example, 132);
        case 1 -> mutator.mutate(bigEndian, 132);
        case 2 -> HandMadeDicom.deflatedPart10(mutator.mutate(plain, 0));
        case 3 -> mutator.mutate(deflated, 132);
        case 4 -> mutator.mutate(jpeg, 132);
        default -> mutator.mutate(rle, 132);
      };
      decoded += readOne(i, mutant, uids) ? 1 : 0;
      nanos[encoding] += System.nanoTime() - t0;
    }
    System.out.printf("DecoderFuzzTest: %d mutants (seed %d), %d decoded, %d refused; ms per "
        + "encoding (LE, BE, deflated, deflate stream, JPEG, RLE): %s; largest allocation of one "
        + "read %d bytes%n", ENCODINGS * PER_ENCODING, SEED, decoded, ENCODINGS * PER_ENCODING - decoded,
        java.util.Arrays.toString(java.util.Arrays.stream(nanos).map(n -> n / 1_000_000).toArray()),
        maxAllocated);
    assertTrue(decoded > 0 && decoded < ENCODINGS * PER_ENCODING, "both outcomes occur");
  }

  /** Largest allocation of one read so far, for the summary line. */
  private long maxAllocated;

  /**
   * Reads one mutant; true when it decoded. Fails on any other outcome, leaving the mutant in
   * {@code target/fuzz-failures/} for replay.
   */
  private boolean readOne(int index, byte[] mutant, List<String> uids) {
    Object[] outcome = new Object[1];
    long allocated = Allocation.ofThisThread(() -> {
      try {
        outcome[0] = reader.read(ByteBuffer.wrap(mutant), DecodeBudget.of(DecodeLimits.defaults()));
      } catch (Throwable t) {
        outcome[0] = t;
      }
    });
    maxAllocated = Math.max(maxAllocated, allocated);
    java.util.function.Supplier<String> which = () -> "mutant " + index + " (seed " + SEED + ", "
        + keep(index, mutant) + ")";
    if (outcome[0] instanceof InvalidInputException e) {
      try {
        Messages.assertFitForCallers(e.getMessage());
      } catch (AssertionError bad) {
        fail(which.get() + ": " + bad.getMessage());
      }
      assertTrue(uids.stream().noneMatch(e.getMessage()::contains), () -> which.get()
          + " quotes a UID");
    } else if (outcome[0] instanceof Throwable t) {
      fail(which.get() + ": unexpected " + t, t);
    }
    assertTrue(allocated < ALLOCATION_BOUND + 4L * mutant.length,
        () -> which.get() + " allocated " + allocated + " bytes");
    if (!(outcome[0] instanceof DicomSlice s)) {
      return false;
    }
    assertTrue(s.rows() > 0 && s.image().pixels().length == s.rows() * s.columns(),
        () -> which.get() + ": an empty image");
    return true;
  }

  /** Writes the mutant where a failure can be replayed from; returns where, or why not. */
  private static String keep(int index, byte[] mutant) {
    try {
      Path dir = Files.createDirectories(Path.of("target", "fuzz-failures"));
      return Files.write(dir.resolve("mutant-" + index + ".dcm"), mutant).toString();
    } catch (java.io.IOException e) {
      return "not kept: " + e.getMessage();
    }
  }

  /** The bundled example's attributes, its pixels cropped to the central CROP x CROP. */
  private static AttributeList cropped(Path file) throws Exception {
    AttributeList l = new AttributeList();
    l.read(new DicomInputStream(Files.newInputStream(file)));
    int rows = l.get(TagFromName.Rows).getSingleIntegerValueOrDefault(0);
    int columns = l.get(TagFromName.Columns).getSingleIntegerValueOrDefault(0);
    short[] all = l.getPixelData().getShortValues();
    short[] crop = new short[CROP * CROP];
    for (int y = 0; y < CROP; y++) {
      System.arraycopy(all, (rows / 2 - CROP / 2 + y) * columns + columns / 2 - CROP / 2, crop,
          y * CROP, CROP);
    }
    l.get(TagFromName.Rows).setValue(CROP);
    l.get(TagFromName.Columns).setValue(CROP);
    l.getPixelData().setValues(crop);
    return l;
  }

  private static Path example() {
    Path file = Path.of(System.getProperty("spoils.example.dicom",
        "../gateway/examples/spider/slice.dcm"));
    Assumptions.assumeTrue(Files.isRegularFile(file), "bundled example not found: " + file);
    return file;
  }

  /** {@code l} as a Part 10 file in {@code transferSyntax}, written by PixelMed. */
  private static byte[] encode(AttributeList l, String transferSyntax) throws Exception {
    FileMetaInformation.addFileMetaInformation(l, transferSyntax, "SPOILS");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    l.write(out, transferSyntax, true, true);
    return out.toByteArray();
  }

  /** The cropped pixels (0-255 in the example) as an 8-bit MR image in JPEG Baseline. */
  private static byte[] jpegFile(AttributeList l) throws Exception {
    short[] pixels = l.getPixelData().getShortValues();
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(CROP, CROP,
        java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    for (int i = 0; i < pixels.length; i++) {
      img.getRaster().setSample(i % CROP, i / CROP, 0, Math.min(255, pixels[i] & 0xFFFF));
    }
    ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
    assertTrue(javax.imageio.ImageIO.write(img, "jpeg", jpeg), "a JPEG writer");
    byte[] dataSet = HandMadeDicom.mrHeader(HandMadeDicom.littleEndian(), CROP, CROP, 8)
        .encapsulatedPixelData(jpeg.toByteArray()).dataSet();
    return HandMadeDicom.part10("1.2.840.10008.1.2.4.50", dataSet);
  }

  /**
   * The cropped pixels as a 16-bit MR image in RLE Lossless (PS3.5 G): a 64-byte header, then the
   * high bytes and the low bytes of the samples as two segments of literal runs.
   */
  private static byte[] rleFile(AttributeList l) throws Exception {
    short[] pixels = l.getPixelData().getShortValues();
    ByteArrayOutputStream high = new ByteArrayOutputStream();
    ByteArrayOutputStream low = new ByteArrayOutputStream();
    for (int start = 0; start < pixels.length; start += 128) {
      int n = Math.min(128, pixels.length - start);
      high.write(n - 1);
      low.write(n - 1);
      for (int i = start; i < start + n; i++) {
        high.write(pixels[i] >>> 8 & 0xFF);
        low.write(pixels[i] & 0xFF);
      }
    }
    ByteBuffer header = ByteBuffer.allocate(64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    header.putInt(2).putInt(64).putInt(64 + high.size());
    ByteArrayOutputStream fragment = new ByteArrayOutputStream();
    fragment.writeBytes(header.array());
    fragment.writeBytes(high.toByteArray());
    fragment.writeBytes(low.toByteArray());
    byte[] dataSet = HandMadeDicom.mrHeader(HandMadeDicom.littleEndian(), CROP, CROP)
        .encapsulatedPixelData(fragment.toByteArray()).dataSet();
    return HandMadeDicom.part10("1.2.840.10008.1.2.5", dataSet);
  }

  /** The example's instance UIDs: no message may quote them. */
  private static List<String> uids(AttributeList l) {
    return java.util.stream.Stream.of(TagFromName.StudyInstanceUID, TagFromName.SeriesInstanceUID,
        TagFromName.SOPInstanceUID).map(t -> PixelMedDicomReader.str(l, t))
        .filter(s -> !s.isEmpty()).toList();
  }
}
