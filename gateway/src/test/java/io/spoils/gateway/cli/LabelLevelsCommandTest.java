package io.spoils.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spoils.feature.image.ImageFiles;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelSpacing;
import io.spoils.feature.levels.ConnectedComponents;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelLevelsCommandTest {
  private static final PixelSpacing SPACING = new PixelSpacing(0.46875, 0.46875);

  @TempDir
  Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private static Path example() {
    Path here = Path.of("examples", "spider", "mask.png");
    return Files.isRegularFile(here) ? here : Path.of("gateway", "examples", "spider", "mask.png");
  }

  private int run(String... args) {
    return Spoils.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  /** The bundled example with its lowest disc drawn as the lumbosacral disc (value 31). */
  private static LabelMap withLumbosacralMark(LabelMap map) {
    byte[] labels = map.labels().clone();
    boolean[] disc = new boolean[labels.length];
    int lowest = -1;
    for (int p = 0; p < labels.length; p++) {
      disc[p] = labels[p] == 29;
      lowest = disc[p] ? p : lowest;
    }
    for (int[] component : ConnectedComponents.of(disc, map.width(), map.height())) {
      if (Arrays.binarySearch(component, lowest) >= 0) {
        for (int p : component) {
          labels[p] = 31;
        }
      }
    }
    return new LabelMap(map.width(), map.height(), labels, map.spacing(), map.scheme());
  }

  @Test
  void labelLevels_batch_oneJsonLinePerFileErrorsInline() throws Exception {
    LabelMap example = ImageFiles.readMask(example(), SPACING);
    Files.createDirectories(tmp.resolve("maps"));
    ImageFiles.writeMask(example, tmp.resolve("maps/plain.png"));
    ImageFiles.writeMask(withLumbosacralMark(example), tmp.resolve("maps/marked.png"));
    Files.writeString(tmp.resolve("maps/broken.png"), "not a png");
    Path csv = tmp.resolve("spacing.csv");
    Files.writeString(csv, "file,row_mm,col_mm\nplain.png,0.46875,0.46875\n"
        + "marked.png,0.46875,0.46875\nbroken.png,0.46875,0.46875\nmissing.png,0.5,0.5\n");

    assertEquals(0, run("label-levels", "--masks", tmp.resolve("maps").toString(),
        "--spacing-csv", csv.toString()), err.toString());

    List<String> lines = out.toString().lines().toList();
    assertEquals(4, lines.size(), out.toString());
    ObjectMapper json = new ObjectMapper();
    for (int i = 0; i < 2; i++) {
      JsonNode line = json.readTree(lines.get(i));
      assertEquals(i == 0 ? "plain.png" : "marked.png", line.get("file").asText());
      JsonNode discs = line.get("discs");
      assertTrue(discs.size() >= 5, line.toString());
      JsonNode lowest = discs.get(0);
      assertEquals("L5-S1", lowest.get("level").asText());
      assertEquals(i == 1, lowest.get("lumbosacral").asBoolean(), line.toString());
      assertEquals("L4-L5", discs.get(1).get("level").asText());
      assertFalse(discs.get(1).get("lumbosacral").asBoolean());
      assertTrue(lowest.get("centroid_row").asDouble() > discs.get(1).get("centroid_row")
          .asDouble(), "lowest first");
      assertTrue(lowest.get("area_mm2").asDouble() > 50);
      JsonNode vertebrae = line.get("vertebrae");
      assertTrue(vertebrae.size() >= 4);
      assertTrue(vertebrae.get(0).has("centroid_col"));
      assertTrue(line.get("warnings").isArray());
      line.get("warnings").forEach(w -> assertFalse(w.asText().contains(" "), w.asText()));
    }
    JsonNode broken = json.readTree(lines.get(2));
    assertEquals("broken.png", broken.get("file").asText());
    assertTrue(broken.get("error").asText().contains("not a PNG"), broken.toString());
    assertFalse(broken.has("discs"));
    JsonNode missing = json.readTree(lines.get(3));
    assertTrue(missing.get("error").asText().contains("not found"), missing.toString());
    assertFalse(out.toString().contains("Exception"), "no stack trace");
  }

  @Test
  void labelLevels_valueOutsideTheSemanticMap_errorLine() throws Exception {
    LabelMap example = ImageFiles.readMask(example(), SPACING);
    byte[] labels = example.labels().clone();
    labels[0] = 7;
    Files.createDirectories(tmp.resolve("maps"));
    ImageFiles.writeMask(new LabelMap(example.width(), example.height(), labels, SPACING,
        LabelMap.Scheme.SPIDER), tmp.resolve("maps/odd.png"));
    Path csv = tmp.resolve("spacing.csv");
    Files.writeString(csv, "file,row_mm,col_mm\nodd.png,0.46875,0.46875\n");
    assertEquals(0, run("label-levels", "--masks", tmp.resolve("maps").toString(),
        "--spacing-csv", csv.toString()));
    JsonNode line = new ObjectMapper().readTree(out.toString());
    assertTrue(line.get("error").asText().contains("value 7,"), line.toString());
  }

  @Test
  void labelLevels_csvWithoutColumns_exits2() throws Exception {
    Path csv = tmp.resolve("spacing.csv");
    Files.writeString(csv, "name,spacing\na.png,0.5\n");
    assertEquals(Spoils.EXIT_BAD_INPUT, run("label-levels", "--masks", tmp.toString(),
        "--spacing-csv", csv.toString()));
    assertTrue(err.toString().contains("file,row_mm,col_mm"), err.toString());
  }
}
