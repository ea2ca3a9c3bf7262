package io.spoils.feature.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.PixelSpacing;
import io.spoils.feature.tooling.dicom.DicomWriter;
import io.spoils.feature.tooling.dicom.MrParams;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StudyReaderTest {

  private static final int SAGITTAL_SIDE = 16;
  private static final int AXIAL_SIDE = 64;

  /** An examination: 9 large axial T2 files, then 5 sagittal T2 (shuffled), then 4 sagittal T1. */
  private static List<ByteBuffer> examination() {
    MrParams axial = MrParams.of(DicomWriter.newUid()).withSeries(3).withTiming(110.0, 3500.0);
    MrParams t2 = MrParams.of(DicomWriter.newUid()).withSeries(2).withTiming(110.0, 3500.0);
    MrParams t1 = MrParams.of(DicomWriter.newUid()).withSeries(1).withTiming(12.0, 550.0);
    List<ByteBuffer> files = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      files.add(file(AXIAL_SIDE, axial.withInstance(i + 1).withGeometry(MrParams.axial(),
          new double[] {0, 0, i * 5.0}), i));
    }
    for (int i : new int[] {3, 1, 4, 0, 2}) {
      files.add(file(SAGITTAL_SIDE, t2.withInstance(i + 1).withGeometry(MrParams.sagittal(),
          new double[] {i * 4.0, -50, 80}), 100 + i));
    }
    for (int i = 0; i < 4; i++) {
      files.add(file(SAGITTAL_SIDE, t1.withInstance(i + 1).withGeometry(MrParams.sagittal(),
          new double[] {i * 4.0, -50, 80}), 200 + i));
    }
    return files;
  }

  private static ByteBuffer file(int side, MrParams params, int seed) {
    GreyImage image = Synthetic.ramp(side, side, new PixelSpacing(0.5, 0.5), seed);
    return ByteBuffer.wrap(DicomWriter.writeMr(image, params));
  }

  /** {@code params}' image with a second frame appended (Number of Frames 2). */
  private static ByteBuffer twoFrames(MrParams params) {
    GreyImage image = Synthetic.ramp(SAGITTAL_SIDE, SAGITTAL_SIDE, new PixelSpacing(0.5, 0.5), 9);
    try {
      com.pixelmed.dicom.AttributeList l = new com.pixelmed.dicom.AttributeList();
      l.read(new com.pixelmed.dicom.DicomInputStream(new java.io.ByteArrayInputStream(
          DicomWriter.writeMr(image, params))));
      short[] one = l.getPixelData().getShortValues();
      l.getPixelData().setValues(java.util.Arrays.copyOf(one, one.length * 2));
      com.pixelmed.dicom.Attribute frames = new com.pixelmed.dicom.IntegerStringAttribute(
          com.pixelmed.dicom.TagFromName.NumberOfFrames);
      frames.addValue(2);
      l.put(frames);
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      l.write(out, com.pixelmed.dicom.TransferSyntax.ExplicitVRLittleEndian, true, true);
      return ByteBuffer.wrap(out.toByteArray());
    } catch (java.io.IOException | com.pixelmed.dicom.DicomException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void read_enhancedMultiFrame_eachFrameASliceInSpatialOrder() {
    // five frames written in the order of positions 3, 1, 4, 0, 2 (seed 100 + position)
    int[] position = {3, 1, 4, 0, 2};
    List<GreyImage> frames = new ArrayList<>();
    List<double[]> positions = new ArrayList<>();
    for (int p : position) {
      frames.add(Synthetic.ramp(SAGITTAL_SIDE, SAGITTAL_SIDE, new PixelSpacing(0.5, 0.5), 100 + p));
      positions.add(new double[] {p * 4.0, -50, 80});
    }
    MrParams t2 = MrParams.of(DicomWriter.newUid()).withSeries(5).withTiming(110.0, 3500.0)
        .withGeometry(MrParams.sagittal(), null);
    List<ByteBuffer> files = new ArrayList<>(examination().subList(0, 9));
    files.add(ByteBuffer.wrap(io.spoils.feature.tooling.dicom.EnhancedMrWriter.write(frames, t2,
        positions)));
    DecodeBudget budget = DecodeBudget.of(DecodeLimits.defaults());
    StudyReader.Result read = StudyReader.create().read(files, i -> "file " + i, budget);

    Series chosen = read.chosen().series();
    assertEquals(5, chosen.seriesNumber());
    assertEquals(5, chosen.size());
    assertEquals(10, read.readableFiles());
    assertTrue(read.chosen().t2Weighted(), "TE/TR from the functional groups");
    assertEquals(List.of(9, 9, 9, 9, 9), read.chosenFiles());
    assertEquals(5L * SAGITTAL_SIDE * SAGITTAL_SIDE, budget.pixelsUsed(), "one decode of the file");
    java.util.Set<Integer> framesRead = new java.util.HashSet<>();
    for (DicomSlice s : chosen.slices()) {
      assertEquals(5, s.numberOfFrames());
      framesRead.add(s.frame());
      // each slice holds its own frame's pixels and position
      assertEquals(100 + position[s.frame()], s.image().get(0, 0));
      assertEquals(position[s.frame()] * 4.0, s.imagePositionPatient()[0], 1e-9);
      assertEquals(0.5, s.spacing().rowMm(), 1e-12);
      // from the shared Pixel Measures functional group (MrParams.of: 4 mm)
      assertEquals(4.0, s.sliceThicknessMm(), 1e-12);
    }
    assertEquals(java.util.Set.of(0, 1, 2, 3, 4), framesRead);
    assertEquals(100 + 2, chosen.slices().get(read.chosen().midIndex()).image().get(0, 0));
  }

  @Test
  void read_enhancedMultiFrameBigEndian_framesDecodedByPixelMed() throws Exception {
    List<GreyImage> frames = new ArrayList<>();
    List<double[]> positions = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      frames.add(Synthetic.ramp(SAGITTAL_SIDE, SAGITTAL_SIDE, new PixelSpacing(0.5, 0.5), 50 + p));
      positions.add(new double[] {-p * 3.0, -50, 80});
    }
    byte[] little = io.spoils.feature.tooling.dicom.EnhancedMrWriter.write(frames,
        MrParams.of(DicomWriter.newUid()).withTiming(110.0, 3500.0)
            .withGeometry(MrParams.sagittal(), null), positions);
    // the same object in explicit VR big endian: not read in place, PixelMed decodes the frames
    com.pixelmed.dicom.AttributeList l = new com.pixelmed.dicom.AttributeList();
    l.read(new com.pixelmed.dicom.DicomInputStream(new java.io.ByteArrayInputStream(little)));
    l.remove(com.pixelmed.dicom.TagFromName.TransferSyntaxUID);
    com.pixelmed.dicom.FileMetaInformation.addFileMetaInformation(l,
        com.pixelmed.dicom.TransferSyntax.ExplicitVRBigEndian, "SPOILS");
    java.io.ByteArrayOutputStream big = new java.io.ByteArrayOutputStream();
    l.write(big, com.pixelmed.dicom.TransferSyntax.ExplicitVRBigEndian, true, true);

    StudyReader.Result read = StudyReader.create().read(List.of(ByteBuffer.wrap(
        big.toByteArray())), i -> "file " + i, DecodeBudget.of(DecodeLimits.defaults()));
    List<DicomSlice> slices = read.chosen().series().slices();
    assertEquals(3, slices.size());
    for (DicomSlice s : slices) {
      assertTrue(s.transferSyntaxName().toLowerCase(java.util.Locale.ROOT).contains("big"),
          s.transferSyntaxName());
      org.junit.jupiter.api.Assertions.assertArrayEquals(frames.get(s.frame()).pixels(),
          s.image().pixels());
    }
  }

  @Test
  void read_multiFrameWithoutFramePositions_skippedWithTheReason() {
    List<ByteBuffer> files = examination();
    MrParams stack = MrParams.of(DicomWriter.newUid()).withSeries(7).withTiming(110.0, 3500.0)
        .withGeometry(MrParams.sagittal(), new double[] {0, -50, 80});
    files.add(twoFrames(stack));
    StudyReader.Result read = StudyReader.create().read(files, i -> "file " + i,
        DecodeBudget.of(DecodeLimits.defaults()));
    assertEquals(2, read.chosen().series().seriesNumber());
    assertEquals(1, read.skipped().size());
    assertEquals(files.size() - 1, read.skipped().get(0).file());
    assertTrue(read.skipped().get(0).reason().contains("multi-frame image of 2 frames with one "
        + "Image Position for all of them"), read.skipped().get(0).reason());
  }

  @Test
  void read_onlyAMultiFrameFileWithoutFramePositions_invalidInputNamingIt() {
    MrParams stack = MrParams.of(DicomWriter.newUid()).withTiming(110.0, 3500.0)
        .withGeometry(MrParams.sagittal(), new double[] {0, -50, 80});
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> StudyReader.create().read(List.of(twoFrames(stack)), i -> "file " + i,
            DecodeBudget.of(DecodeLimits.defaults())));
    assertTrue(e.getMessage().contains("multi-frame image of 2 frames"), e.getMessage());
    assertTrue(e.getMessage().contains("single-frame"), e.getMessage());
  }

  @Test
  void read_decodesOnlyTheChosenSeries() {
    DecodeBudget budget = DecodeBudget.of(DecodeLimits.defaults());
    StudyReader.Result read = StudyReader.create().read(examination(), i -> "file " + i, budget);
    Series chosen = read.chosen().series();
    assertEquals(2, chosen.seriesNumber());
    assertEquals(5, chosen.size());
    assertEquals(5L * SAGITTAL_SIDE * SAGITTAL_SIDE, budget.pixelsUsed());
    assertEquals(18, read.readableFiles());
    assertEquals(3, read.seriesCount());
    assertEquals(2, read.chosen().midIndex());
    assertTrue(read.chosen().t2Weighted());
    assertTrue(read.skipped().isEmpty());
  }

  @Test
  void read_chosenFilesFollowTheSeriesOrder() {
    StudyReader.Result read = StudyReader.create().read(examination(), i -> "file " + i,
        DecodeBudget.of(DecodeLimits.defaults()));
    // the sagittal T2 files are 9..13, written for positions 3, 1, 4, 0, 2 (seeds 100 + position)
    int[] position = {3, 1, 4, 0, 2};
    assertEquals(java.util.Set.of(9, 10, 11, 12, 13), java.util.Set.copyOf(read.chosenFiles()));
    for (int k = 0; k < 5; k++) {
      int file = read.chosenFiles().get(k);
      assertEquals(100 + position[file - 9],
          read.chosen().series().slices().get(k).image().get(0, 0));
    }
  }

  @Test
  void read_otherSeriesBeyondTheBudgetDoNotCount() {
    long chosenPixels = 5L * SAGITTAL_SIDE * SAGITTAL_SIDE;
    // the axial series alone (9 x 64 x 64) is far beyond this budget
    DecodeBudget budget = DecodeBudget.of(new DecodeLimits(chosenPixels,
        DecodeLimits.DEFAULT_MAX_INFLATED_BYTES));
    StudyReader.Result read = StudyReader.create().read(examination(), i -> "file " + i, budget);
    assertEquals(5, read.chosen().series().size());
    assertEquals(chosenPixels, budget.pixelsUsed());
  }

  @Test
  void read_chosenSeriesBeyondTheBudgetFailsNamingTheFile() {
    DecodeBudget budget = DecodeBudget.of(new DecodeLimits(SAGITTAL_SIDE * SAGITTAL_SIDE * 2,
        DecodeLimits.DEFAULT_MAX_INFLATED_BYTES));
    DecodeBudgetExceededException e = assertThrows(DecodeBudgetExceededException.class,
        () -> StudyReader.create().read(examination(), i -> "file " + i, budget));
    assertTrue(e.getMessage().startsWith("file 13: "), e.getMessage());
  }

  @Test
  void read_unreadableFilesSkippedWithTheirIndex() {
    List<ByteBuffer> files = new ArrayList<>(examination());
    files.add(4, ByteBuffer.wrap("not a DICOM file at all".getBytes(StandardCharsets.US_ASCII)));
    StudyReader.Result read = StudyReader.create().read(files, i -> "file " + i,
        DecodeBudget.of(DecodeLimits.defaults()));
    assertEquals(1, read.skipped().size());
    assertEquals(4, read.skipped().get(0).file());
    assertEquals(18, read.readableFiles());
    assertEquals(java.util.Set.of(10, 11, 12, 13, 14), java.util.Set.copyOf(read.chosenFiles()));
  }

  @Test
  void read_noReadableFileNamesTheFirst() {
    List<ByteBuffer> files = List.of(ByteBuffer.wrap(new byte[10]), ByteBuffer.wrap(new byte[20]));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> StudyReader.create().read(files, i -> "file " + (i + 1),
            DecodeBudget.of(DecodeLimits.defaults())));
    assertTrue(e.getMessage().startsWith("none of the 2 files is a readable DICOM image (first, "
        + "file 1: "), e.getMessage());
  }

  @Test
  void read_longSeriesDecodesOnlyTheWindowAroundItsCentre() {
    MrParams t2 = MrParams.of(DicomWriter.newUid()).withSeries(7).withTiming(110.0, 3500.0);
    List<ByteBuffer> files = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      files.add(file(SAGITTAL_SIDE, t2.withInstance(i + 1).withGeometry(MrParams.sagittal(),
          new double[] {i * 1.0, -50, 80}), 300 + i));
    }
    DecodeBudget budget = DecodeBudget.of(DecodeLimits.defaults());
    StudyReader.Result read = StudyReader.create().read(files, i -> "file " + i, budget, 4);
    assertEquals(10, read.seriesSize());
    assertEquals(4, read.chosen().series().size());
    assertEquals(4L * SAGITTAL_SIDE * SAGITTAL_SIDE, budget.pixelsUsed());
    StudyReader.Result whole = StudyReader.create().read(files, i -> "file " + i,
        DecodeBudget.of(DecodeLimits.defaults()));
    // the window holds the whole series' mid slice, at the same place
    assertEquals(whole.chosen().midIndex(), read.offset() + read.chosen().midIndex());
    assertEquals(whole.chosenFiles().subList(read.offset(), read.offset() + 4),
        read.chosenFiles());
  }
}
