package io.spoils.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spoils.gateway.testing.RealModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateGradingCommandTest {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Spoils.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  /** spider-t2space (system property spoils.data.spider) and spider-midsag beside it. */
  static Path t2space() {
    return Path.of(System.getProperty("spoils.data.spider", "../../shared/data/spider-t2space"));
  }

  static Path midsag() {
    return t2space().toAbsolutePath().getParent().resolve("spider-midsag");
  }

  static void assumeDataAndModels() {
    Assumptions.assumeTrue(Files.isDirectory(t2space()) && Files.isDirectory(midsag()),
        "SPIDER data not found beside " + t2space());
    Assumptions.assumeTrue(RealModels.present(REPO.resolve("triton-models"),
        "spine_segmentation"), "no segmentation model");
  }

  @Test
  void evaluateGrading_missingSplitFile(@TempDir Path tmp) {
    assertEquals(2, run("evaluate-grading", "--midsag", tmp.toString(), "--split",
        tmp.resolve("split.json").toString()));
    assertEquals("spoils: --split is not a file", err.toString().strip());
  }

  @Test
  void evaluateGrading_noDataFolder(@TempDir Path tmp) throws Exception {
    Files.writeString(tmp.resolve("split.json"), "{\"validation\": [1]}");
    assertEquals(2, run("evaluate-grading", "--split", tmp.resolve("split.json").toString()));
    assertTrue(err.toString().contains("give --midsag, --t2space or both"), err.toString());
  }

  @Test
  void evaluateGrading_splitWithoutValidation(@TempDir Path tmp) throws Exception {
    Files.writeString(tmp.resolve("split.json"), "{\"train\": [1]}");
    assertEquals(2, run("evaluate-grading", "--midsag", tmp.toString(), "--split",
        tmp.resolve("split.json").toString()));
    assertTrue(err.toString().contains("no \"validation\" patient list"), err.toString());
  }

  @Test
  void evaluateGrading_oneValidationPatient_reportsPerSequenceAndGrader(@TempDir Path tmp)
      throws Exception {
    assumeDataAndModels();
    // patient 11: a T2 TSE and a T2 SPACE render in spider-midsag, a centre slice in t2space
    Files.writeString(tmp.resolve("split.json"), "{\"validation\": [11]}");
    Path report = tmp.resolve("grading.json");
    assertEquals(0, run("evaluate-grading", "--midsag", midsag().toString(), "--t2space",
        t2space().toString(), "--split", tmp.resolve("split.json").toString(), "--models",
        REPO.resolve("triton-models").toString(), "--out", report.toString()), err.toString());
    JsonNode r = new ObjectMapper().readTree(report.toFile());
    JsonNode groups = r.get("groups");
    assertEquals(3, groups.get("all").get("counts").get("images").asInt());
    assertEquals(1, groups.get("T2 TSE").get("counts").get("images").asInt());
    assertEquals(2, groups.get("T2 SPACE").get("counts").get("images").asInt());
    JsonNode counts = groups.get("all").get("counts");
    assertEquals(counts.get("graded_discs").asInt(), counts.get("discs_joined").asInt()
        + counts.get("graded_discs_missing").asInt());
    for (String grader : new String[] {"cnn", "trees", "ensemble"}) {
      JsonNode m = groups.get("all").get(grader);
      assertTrue(m.has("pfirrmann_quadratic_weighted_kappa") && m.has("expected_calibration_error")
          && m.has("pfirrmann_confusion_rows_reference_1_to_5"), grader + " " + m);
      if (m.get("n").asInt() > 0) {
        assertTrue(m.get("pfirrmann_within_one").asDouble()
            >= m.get("pfirrmann_exact").asDouble(), grader + " " + m);
      }
    }
    assertEquals(11, r.get("ensemble_weighting_t2_tse").get("weights").size());
    assertTrue(out.toString().contains("T2 TSE"), out.toString());
  }
}
