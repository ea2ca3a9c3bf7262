package io.spoils.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateGradingCommandTest {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Spoils.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void evaluateGrading_missingSplitFile(@TempDir Path tmp) {
    assertEquals(2, run("evaluate-grading", "--data", tmp.toString(), "--split",
        tmp.resolve("split.json").toString(), "--cnn", tmp.resolve("cnn.json").toString()));
    assertEquals("spoils: --split is not a file", err.toString().strip());
  }

  @Test
  void evaluateGrading_cnnClassesInAnotherOrder(@TempDir Path tmp) throws Exception {
    Files.writeString(tmp.resolve("split.json"), "{\"validation\": [1]}");
    Files.writeString(tmp.resolve("cnn.json"), "{\"classes\": [\"2L\", \"1L\"], \"discs\": []}");
    assertEquals(2, run("evaluate-grading", "--data", tmp.toString(), "--split",
        tmp.resolve("split.json").toString(), "--cnn", tmp.resolve("cnn.json").toString()));
    assertTrue(err.toString().contains("1L..5H"), err.toString());
  }

  @Test
  void evaluateGrading_realSplitAndCnnPredictions(@TempDir Path tmp) throws Exception {
    Path data = Path.of(System.getProperty("spoils.data.spider", "../shared/data/spider-t2space"));
    Path cnn = REPO.resolve("triton-models/disc_grading/validation_predictions.json");
    Assumptions.assumeTrue(Files.isDirectory(data), "SPIDER data not found at " + data);
    Assumptions.assumeTrue(Files.isRegularFile(cnn), "no CNN validation predictions yet");
    Path metrics = tmp.resolve("metrics.json");
    assertEquals(0, run("evaluate-grading", "--data", data.toString(), "--split",
        REPO.resolve("triton-models/training/split.json").toString(), "--cnn", cnn.toString(),
        "--out", metrics.toString()), err.toString());
    JsonNode m = new ObjectMapper().readTree(metrics.toFile());
    assertTrue(m.get("discs").asInt() >= 40, m.toString());
    for (String grader : new String[] {"cnn", "trees", "ensemble_mean"}) {
      double within = m.get(grader).get("pfirrmann_within_one").asDouble();
      assertTrue(within >= m.get(grader).get("pfirrmann_exact").asDouble() && within <= 1,
          grader + " " + m);
    }
  }
}
