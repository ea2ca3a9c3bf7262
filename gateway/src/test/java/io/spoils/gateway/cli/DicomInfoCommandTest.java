package io.spoils.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spoils.feature.tooling.dicom.DicomWriter;
import io.spoils.feature.tooling.dicom.MrParams;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.PixelSpacing;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DicomInfoCommandTest {
  @TempDir
  Path dir;

  private final String seriesUid = DicomWriter.newUid();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void dicomInfo_syntheticFileText() throws Exception {
    Path file = synthetic();
    int code = run("dicom-info", file.toString());
    assertEquals(0, code, err::toString);
    String text = out.toString();
    assertTrue(text.startsWith(file.toString() + System.lineSeparator()), text);
    assertTrue(text.contains("modality:          MR"), text);
    assertTrue(text.contains("orientation:       sagittal"), text);
    assertTrue(text.contains("pixel spacing:     0.8 mm (row) x 0.4 mm (column)"), text);
    assertTrue(text.contains("size:              5 rows x 7 columns"), text);
    assertTrue(text.contains("transfer syntax:   Explicit VR Little Endian (1.2.840.10008.1.2.1)"), text);
    assertTrue(text.contains("series number:     12"), text);
    assertTrue(text.contains("instance number:   4"), text);
    assertTrue(text.contains("photometric:       MONOCHROME2"), text);
    assertTrue(text.contains("frames:            1"), text);
    assertFalse(text.contains(seriesUid), "series UID must not be printed");
    assertEquals("", err.toString());
  }

  @Test
  void dicomInfo_nonDicomFileFailsWithOneLine() throws Exception {
    Path good = synthetic();
    Path bad = dir.resolve("notes.txt");
    Files.writeString(bad, "this is a text file, not an image\n", StandardCharsets.US_ASCII);
    int code = run("dicom-info", good.toString(), bad.toString());
    assertEquals(Spoils.EXIT_BAD_INPUT, code);
    String[] lines = err.toString().strip().split("\\R");
    assertEquals(1, lines.length, err::toString);
    assertTrue(lines[0].startsWith(bad + ": error: not a DICOM file"), lines[0]);
    assertFalse(err.toString().contains("Exception"), err::toString);
    assertTrue(out.toString().contains("orientation:       sagittal"), "the good file is still described");
  }

  @Test
  void dicomInfo_json() throws Exception {
    Path good = synthetic();
    Path empty = Files.createFile(dir.resolve("empty.dcm"));
    int code = run("dicom-info", "--format", "json", good.toString(), empty.toString());
    assertEquals(Spoils.EXIT_BAD_INPUT, code);
    JsonNode rows = new ObjectMapper().readTree(out.toString());
    assertEquals(2, rows.size());
    JsonNode r = rows.get(0);
    assertEquals("MR", r.get("modality").asText());
    assertEquals("sagittal", r.get("orientation").asText());
    assertEquals(0.8, r.get("rowSpacingMm").asDouble(), 1e-9);
    assertEquals(0.4, r.get("columnSpacingMm").asDouble(), 1e-9);
    assertEquals(5, r.get("rows").asInt());
    assertEquals(7, r.get("columns").asInt());
    assertEquals("1.2.840.10008.1.2.1", r.get("transferSyntaxUid").asText());
    assertEquals(12, r.get("seriesNumber").asInt());
    assertEquals(1, r.get("frames").asInt());
    assertTrue(rows.get(1).get("error").asText().startsWith("empty input"));
    assertFalse(out.toString().contains(seriesUid));
    assertTrue(err.toString().startsWith(empty + ": error: empty input"));
  }

  @Test
  void dicomInfo_missingArgument() {
    assertEquals(Spoils.EXIT_BAD_INPUT, run("dicom-info"));
  }

  private Path synthetic() {
    float[] px = new float[35];
    for (int i = 0; i < px.length; i++) {
      px[i] = i * 10;
    }
    GreyImage img = new GreyImage(7, 5, px, new PixelSpacing(0.8, 0.4));
    Path file = dir.resolve("slice.dcm");
    DicomWriter.writeMr(img, MrParams.of(seriesUid).withSeries(12).withInstance(4), file);
    return file;
  }

  private int run(String... args) {
    return Spoils.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }
}
