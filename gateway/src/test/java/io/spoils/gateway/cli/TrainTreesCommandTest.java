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

class TrainTreesCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Spoils.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void trainTrees_missingDataDir(@TempDir Path tmp) {
    assertEquals(2, run("train-trees", "--data", tmp.resolve("nope").toString(), "--out",
        tmp.resolve("model").toString()));
    assertTrue(err.toString().contains("--data is not a directory"), err.toString());
    assertEquals(1, err.toString().lines().count(), err.toString());
  }

  @Test
  void trainTrees_missingOptions() {
    assertEquals(2, run("train-trees", "--data", "x"));
    assertTrue(err.toString().contains("--out"), err.toString());
  }

  @Test
  void trainTrees_dataDirWithoutFiles(@TempDir Path tmp) throws Exception {
    Files.createDirectories(tmp.resolve("masks"));
    Files.createDirectories(tmp.resolve("images"));
    assertEquals(2, run("train-trees", "--data", tmp.toString(), "--out",
        tmp.resolve("model").toString()));
    assertTrue(err.toString().contains("slices.csv"), err.toString());
  }

  @Test
  void trainTrees_invalidGrading(@TempDir Path tmp) throws Exception {
    Files.createDirectories(tmp.resolve("masks"));
    Files.createDirectories(tmp.resolve("images"));
    Files.writeString(tmp.resolve("slices.csv"), "patient,slice,is_center\n1,50,1\n");
    Files.writeString(tmp.resolve("series.csv"),
        "patient,pixel_spacing_row_mm,pixel_spacing_col_mm\n1,0.5,0.5\n");
    Files.writeString(tmp.resolve("gradings.csv"), "patient,ivd_label,modic,upper_endplate,"
        + "lower_endplate,spondylolisthesis,herniation,narrowing,bulging,pfirrmann\n"
        + "1,1,0,0,0,0,0,0,0,7\n");
    assertEquals(2, run("train-trees", "--data", tmp.toString(), "--out",
        tmp.resolve("model").toString()));
    assertTrue(err.toString().contains("gradings.csv row 2: Pfirrmann grade must be 1-5"),
        err.toString());
  }

  @Test
  void trainTrees_tooFewFolds(@TempDir Path tmp) {
    assertEquals(2, run("train-trees", "--data", tmp.toString(), "--out",
        tmp.resolve("model").toString(), "--folds", "1"));
    assertTrue(err.toString().contains("folds"), err.toString());
  }

  @Test
  void trainTrees_realSpiderData(@TempDir Path tmp) throws Exception {
    String data = System.getProperty("spoils.data.spider", "");
    Assumptions.assumeTrue(!data.isBlank() && Files.isDirectory(Path.of(data)),
        "SPIDER data not available (system property spoils.data.spider): skipping");
    Path model = tmp.resolve("model");
    assertEquals(0, run("train-trees", "--data", data, "--out", model.toString(), "--folds", "3"),
        err.toString());
    for (String f : new String[] {"model.json", "model-info.json", "metrics.json",
        "MODEL_CARD.md"}) {
      assertTrue(Files.isRegularFile(model.resolve(f)), f);
    }
    JsonNode metrics = new ObjectMapper().readTree(model.resolve("metrics.json").toFile());
    assertTrue(metrics.path("pooled").path("n").asInt() > 200, metrics.toString());
    assertTrue(out.toString().contains("3-fold patient-grouped CV"), out.toString());
  }

  @Test
  void trainTrees_dataAndServedTogether_refused(@TempDir Path tmp) {
    assertEquals(2, run("train-trees", "--data", tmp.toString(), "--midsag", tmp.toString(),
        "--out", tmp.resolve("model").toString()));
    assertTrue(err.toString().contains("give either --data"), err.toString());
  }

  @Test
  void trainTrees_servedWithoutSplit_refused(@TempDir Path tmp) {
    assertEquals(2, run("train-trees", "--midsag", tmp.toString(), "--out",
        tmp.resolve("model").toString()));
    assertTrue(err.toString().contains("need --split"), err.toString());
  }

  @Test
  void trainTrees_servingPathGeometry_trainPatientsOnly(@TempDir Path tmp) throws Exception {
    EvaluateGradingCommandTest.assumeDataAndModels();
    // three training patients, five graded T2 images (1 and 2: T2 TSE; 5: T2 TSE, T2 SPACE
    // render and t2space centre slice); validation patient 11 listed but never read
    Files.writeString(tmp.resolve("split.json"), "{\"train\": [1, 2, 5], \"validation\": [11]}");
    Path model = tmp.resolve("model");
    assertEquals(0, run("train-trees", "--midsag", EvaluateGradingCommandTest.midsag().toString(),
        "--t2space", EvaluateGradingCommandTest.t2space().toString(), "--split",
        tmp.resolve("split.json").toString(), "--models",
        EvaluateGradingCommandTest.REPO.resolve("triton-models").toString(), "--out",
        model.toString(), "--folds", "2"), err.toString());
    JsonNode info = new ObjectMapper().readTree(model.resolve("model-info.json").toFile());
    JsonNode training = info.get("training");
    assertEquals(5, training.get("images").asInt());
    assertEquals(3, training.get("patients").asInt());
    assertTrue(training.get("split").asText().contains("train patients only"), info.toString());
    assertTrue(training.get("inputs").asText().contains("serving path"), info.toString());
    assertTrue(Files.readString(model.resolve("MODEL_CARD.md")).contains("serving path"));
    assertTrue(out.toString().contains("2-fold patient-grouped CV"), out.toString());
  }
}
