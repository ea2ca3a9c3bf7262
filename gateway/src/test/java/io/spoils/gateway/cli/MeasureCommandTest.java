package io.spoils.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spoils.feature.image.ImageFiles;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelSpacing;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeasureCommandTest {
  private static final Path EXAMPLE = locateExample();
  private static final String MASK = EXAMPLE.resolve("mask.png").toString();
  private static final String IMAGE = EXAMPLE.resolve("image.png").toString();
  private static final String SPACING = "0.46875,0.46875";

  @TempDir
  Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private static Path locateExample() {
    Path here = Path.of("examples", "spider");
    return Files.isDirectory(here) ? here : Path.of("gateway", "examples", "spider");
  }

  private int run(String... args) {
    return Spoils.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void measure_bundledExampleJson() throws Exception {
    assertEquals(0, run("measure", "--mask", MASK, "--spacing", SPACING, "--image", IMAGE),
        err.toString());
    JsonNode root = new ObjectMapper().readTree(out.toString());
    assertEquals("SPIDER", root.get("scheme").asText());
    JsonNode discs = root.get("discs");
    assertTrue(discs.size() >= 5, "discs: " + discs.size());
    JsonNode lowest = discs.get(0);
    assertEquals("L5-S1", lowest.get("level").asText());
    for (JsonNode d : discs) {
      double h = d.get("averageHeightMm").asDouble();
      assertTrue(h > 2 && h < 20, "average height " + h);
      assertTrue(d.get("signalRatioToCsf").asDouble() > 0);
      assertTrue(d.get("volumeMm3").isNull(), "single slice volume must be null");
    }
    assertTrue(root.get("vertebrae").size() >= 4);
    assertTrue(root.get("warnings").isArray());
  }

  @Test
  void measure_withoutImageSignalIsNull() throws Exception {
    assertEquals(0, run("measure", "--mask", MASK, "--spacing", SPACING), err.toString());
    JsonNode d = new ObjectMapper().readTree(out.toString()).get("discs").get(0);
    assertTrue(d.get("signalMean").isNull());
    assertFalse(d.get("centralHeightMm").isNull());
  }

  @Test
  void measure_tableFormat() {
    assertEquals(0, run("measure", "--mask", MASK, "--spacing", SPACING, "--image", IMAGE,
        "--format", "table"), err.toString());
    String text = out.toString();
    assertTrue(text.contains("L5-S1"), text);
    assertTrue(text.contains("avgH"), text);
    assertTrue(text.contains("L4-L5"), text);
  }

  @Test
  void measure_badSpacingSyntax() {
    assertEquals(2, run("measure", "--mask", MASK, "--spacing", "0.5x0.5"));
    assertOneLine("--spacing");
  }

  @Test
  void measure_negativeSpacing() {
    assertEquals(2, run("measure", "--mask", MASK, "--spacing", "-0.5,0.5"));
    assertOneLine("positive");
  }

  @Test
  void measure_missingMask() {
    assertEquals(2, run("measure", "--mask", tmp.resolve("nope.png").toString(), "--spacing",
        SPACING));
    assertOneLine("not found");
  }

  @Test
  void measure_notPng() throws Exception {
    Path text = Files.writeString(tmp.resolve("mask.png"), "not an image");
    assertEquals(2, run("measure", "--mask", text.toString(), "--spacing", SPACING));
    assertOneLine("not a PNG");
  }

  @Test
  void measure_imageSizeMismatch() throws Exception {
    Path small = tmp.resolve("small.png");
    ImageFiles.writeMask(new LabelMap(4, 4, new byte[16], new PixelSpacing(1, 1),
        LabelMap.Scheme.ANATOMY14), small);
    assertEquals(2, run("measure", "--mask", MASK, "--spacing", SPACING, "--image",
        small.toString()));
    assertOneLine("differs from mask size");
  }

  @Test
  void measure_unknownLabelValue() throws Exception {
    byte[] labels = new byte[16];
    labels[5] = 42;
    Path odd = tmp.resolve("odd.png");
    ImageFiles.writeMask(new LabelMap(4, 4, labels, new PixelSpacing(1, 1),
        LabelMap.Scheme.ANATOMY14), odd);
    assertEquals(2, run("measure", "--mask", odd.toString(), "--spacing", SPACING));
    assertOneLine("42");
  }

  @Test
  void measure_emptyMask() throws Exception {
    Path empty = tmp.resolve("empty.png");
    ImageFiles.writeMask(new LabelMap(8, 8, new byte[64], new PixelSpacing(1, 1),
        LabelMap.Scheme.ANATOMY14), empty);
    assertEquals(2, run("measure", "--mask", empty.toString(), "--spacing", SPACING));
    assertOneLine("no intervertebral disc found");
  }

  private void assertOneLine(String expectedFragment) {
    String e = err.toString().strip();
    assertFalse(e.contains("\n"), "one line expected: " + e);
    assertFalse(e.contains("Exception"), e);
    assertTrue(e.contains(expectedFragment), e);
    assertTrue(out.toString().isEmpty(), out.toString());
  }
}
