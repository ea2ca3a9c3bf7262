package io.spoils.gateway.output.seg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import io.spoils.feature.anatomy.AnatomyLabel;
import io.spoils.feature.image.LabelMap;
import io.spoils.gateway.output.DicomTools;
import io.spoils.gateway.output.OutputFixtures;
import io.spoils.gateway.output.Producer;
import io.spoils.gateway.output.SourceImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentationWriterTest {

  private final LabelMap map = OutputFixtures.labelMap();
  private final SourceImage source = OutputFixtures.source();
  private final SegmentationWriter writer = new SegmentationWriter(new Producer("9.9.9"));
  private final byte[] file = writer.write(map, source, OutputFixtures.SEGMENTATION);

  @TempDir
  Path tmp;

  @Test
  void write_readBack_oneSegmentPerLabelWithItsCodes() throws Exception {
    AttributeList list = read();
    SequenceAttribute segments = (SequenceAttribute) list.get(TagFromName.SegmentSequence);
    List<String> labels = List.of("L4 vertebra", "L5 vertebra", "Sacrum", "L4-L5 disc",
        "L5-S1 disc", "Spinal canal");
    assertEquals(labels.size(), segments.getNumberOfItems());
    for (int k = 0; k < labels.size(); k++) {
      AttributeList item = segments.getItem(k).getAttributeList();
      assertEquals(labels.get(k), string(item, TagFromName.SegmentLabel));
      assertEquals("spine_segmentation 2", string(item, new AttributeTag(0x0062, 0x0009)));
    }
    String dump = segments.getItem(3).getAttributeList().toString();
    assertTrue(dump.contains("360499006") && dump.contains("243923001"), "disc, level L4/L5");
    assertTrue(segments.getItem(0).getAttributeList().toString().contains("11994002"), "L4");
  }

  @Test
  void write_readBack_framesAreTheLabelMasks() throws Exception {
    AttributeList list = read();
    int frames = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.NumberOfFrames, 0);
    List<AnatomyLabel> order = List.of(AnatomyLabel.L4, AnatomyLabel.L5, AnatomyLabel.SACRUM,
        AnatomyLabel.DISC_L4_L5, AnatomyLabel.DISC_L5_S1, AnatomyLabel.CANAL);
    assertEquals(order.size(), frames);
    byte[] bits = list.get(TagFromName.PixelData).getByteValues();
    int pixels = map.width() * map.height();
    for (int f = 0; f < frames; f++) {
      boolean[] expected = new boolean[pixels];
      boolean[] actual = new boolean[pixels];
      for (int i = 0; i < pixels; i++) {
        expected[i] = (map.labels()[i] & 0xFF) == order.get(f).id();
        long bit = (long) f * pixels + i;
        actual[i] = (bits[(int) (bit >>> 3)] >> (bit & 7) & 1) == 1;
      }
      assertArrayEquals(expected, actual, "frame " + (f + 1));
    }
  }

  @Test
  void write_header_sameStudyAndFrameOfReferenceReferencesTheSource() throws Exception {
    AttributeList list = read();
    assertEquals(SOPClass.SegmentationStorage, string(list, TagFromName.SOPClassUID));
    assertEquals(source.studyInstanceUid(), string(list, TagFromName.StudyInstanceUID));
    assertEquals(source.frameOfReferenceUid().orElseThrow(),
        string(list, TagFromName.FrameOfReferenceUID));
    assertEquals("SEG", string(list, TagFromName.Modality));
    AttributeList series = ((SequenceAttribute) list.get(TagFromName.ReferencedSeriesSequence))
        .getItem(0).getAttributeList();
    assertEquals(source.seriesInstanceUid(), string(series, TagFromName.SeriesInstanceUID));
    assertTrue(series.toString().contains(source.sopInstanceUid()));
  }

  @Test
  void build_mapOfAnotherSize_refused() {
    LabelMap small = new LabelMap(8, 8, new byte[64], map.spacing(), LabelMap.Scheme.ANATOMY14);
    assertThrows(IllegalArgumentException.class,
        () -> writer.build(small, source, OutputFixtures.SEGMENTATION));
  }

  @Test
  void build_emptyMap_refused() {
    LabelMap empty = new LabelMap(map.width(), map.height(), new byte[map.labels().length],
        map.spacing(), LabelMap.Scheme.ANATOMY14);
    assertThrows(IllegalArgumentException.class,
        () -> writer.build(empty, source, OutputFixtures.SEGMENTATION));
  }

  @Test
  void write_dciodvfy_noErrors() throws Exception {
    DicomTools.Run run = DicomTools.run("dciodvfy", save());
    assertTrue(run.output().contains("Segmentation"), run.output());
    assertEquals(List.of(), run.errors(), run.output());
  }

  @Test
  void write_sourceFrameOfReferenceNotUnique_validWithoutPlaneGeometry() throws Exception {
    SourceImage reused = OutputFixtures.sourceWithReusedFrameOfReference();
    AttributeList list = writer.build(map, reused, OutputFixtures.SEGMENTATION);
    assertEquals(null, list.get(TagFromName.FrameOfReferenceUID));
    assertEquals(1, ((SequenceAttribute) list.get(TagFromName.DimensionIndexSequence))
        .getNumberOfItems(), "segment number only");
    Path p = tmp.resolve("seg-no-for.dcm");
    Files.write(p, writer.write(map, reused, OutputFixtures.SEGMENTATION));
    DicomTools.Run run = DicomTools.run("dciodvfy", p);
    assertEquals(List.of(), run.errors(), run.output());
  }

  @Test
  void write_dcmdump_readsIt() throws Exception {
    DicomTools.Run run = DicomTools.run("dcmdump", save());
    assertEquals(0, run.code(), run.output());
    assertTrue(run.output().contains("SegmentationStorage"), run.output());
    assertTrue(run.output().contains("(0062,0005) LO [L4-L5 disc]"), run.output());
  }

  @Test
  void cieLab_white_isFullLightnessNeutral() {
    int[] lab = SegmentCodes.cieLab(0xFFFFFF);
    assertEquals(65535, lab[0]);
    assertEquals(32896.5, lab[1], 1, "a* = 0");
    assertEquals(32896.5, lab[2], 1, "b* = 0");
  }

  private Path save() throws Exception {
    Path p = tmp.resolve("seg.dcm");
    Files.write(p, file);
    return p;
  }

  private AttributeList read() throws Exception {
    AttributeList list = new AttributeList();
    try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(file))) {
      list.read(in);
    }
    return list;
  }

  private static String string(AttributeList list, AttributeTag tag) {
    return Attribute.getSingleStringValueOrEmptyString(list, tag);
  }
}
