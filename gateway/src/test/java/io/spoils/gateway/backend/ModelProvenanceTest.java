package io.spoils.gateway.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.spoils.feature.trees.ModelInfo;
import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.testing.RealModels;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ModelProvenance}: the provenance lines derived from cards, splits and model files. */
class ModelProvenanceTest {

  private static final String CARD = """
      # tiny_conv — model card

      ## What it is
      A test model: Data: not this one.

      ## Data and licence
      - SPIDER: J.W. van der Graaf et al., Scientific Data 11:264 (2024), licence CC BY 4.0.
      - Split (training/split.json, fixed by patient).

      ## Metrics
      - Other: Apache 2.0 mentioned outside the data section.
      """;

  @TempDir
  Path dir;

  private static String sha12(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))
        .substring(0, 12);
  }

  private Path repository() {
    Path root = dir.resolve("repo-under-test");
    TestRepositories.model(root, TestRepositories.TINY, TestRepositories.TINY_CONFIG, "1");
    return root;
  }

  @Test
  void repositoryModel_cardAndSplit_trainedOnCardAndDigest() throws Exception {
    Path root = repository();
    Files.writeString(root.resolve("tiny_conv/MODEL_CARD.md"), CARD);
    Files.createDirectories(root.resolve("training"));
    Files.writeString(root.resolve("training/split.json"),
        "{\"validation\": [9], \"train\": [1, 2, 3]}");
    assertEquals("trained on SPIDER (3 patients, CC BY 4.0), card repo-under-test/tiny_conv/"
        + "MODEL_CARD.md, sha256 " + sha12(TestRepositories.tinyOnnx()),
        ModelRepository.load(root).provenance(TestRepositories.TINY).orElseThrow());
  }

  @Test
  void repositoryModel_cardWithoutSplit_noPatientCount() throws Exception {
    Path root = repository();
    Files.writeString(root.resolve("tiny_conv/MODEL_CARD.md"),
        CARD.replace("training/split.json", "a split"));
    assertEquals("trained on SPIDER (CC BY 4.0), card repo-under-test/tiny_conv/MODEL_CARD.md, "
        + "sha256 " + sha12(TestRepositories.tinyOnnx()),
        ModelRepository.load(root).provenance(TestRepositories.TINY).orElseThrow());
  }

  @Test
  void repositoryModel_noCard_saysSoWithDigest() throws Exception {
    assertEquals("no model card (repo-under-test/tiny_conv/MODEL_CARD.md), sha256 "
        + sha12(TestRepositories.tinyOnnx()),
        ModelRepository.load(repository()).provenance(TestRepositories.TINY).orElseThrow());
    assertFalse(ModelRepository.load(repository()).provenance("absent").isPresent());
  }

  @Test
  void realRepository_bothModels_trainedOnSpiderWithCardAndDigest() throws Exception {
    Path root = RealModelRepositoryTest.repositoryPath();
    assumeTrue(RealModels.present(root, "spine_segmentation"),
        "no real model repository at " + root + ": skipping");
    ModelRepository repository = ModelRepository.load(root);
    // the patient count comes from each card ("N train") or the shared split it names; the
    // models are retrained by their own work, so only its presence is pinned here
    for (String name : new String[] {"spine_segmentation", "disc_grading"}) {
      String digest = "sha256 " + sha12(Files.readAllBytes(RealModels.onnx(root, name).orElseThrow()));
      String provenance = repository.provenance(name).orElseThrow();
      // a random initialisation exported until the trained model exists says so, and no more
      if (repository.untrained(name)) {
        assertEquals(ModelProvenance.UNTRAINED + ", " + digest, provenance);
        continue;
      }
      assertTrue(provenance.matches("trained on SPIDER \\(\\d+ patients, CC BY 4\\.0\\), card "
          + java.util.regex.Pattern.quote(root.getFileName() + "/" + name + "/MODEL_CARD.md, "
          + digest)), provenance);
    }
  }

  @Test
  void trees_bundled_trainingCardAndDigest() throws Exception {
    byte[] model;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(
        XgbTreeGrader.DEFAULT_RESOURCE_DIR + "/" + XgbTreeGrader.MODEL_FILE)) {
      model = in.readAllBytes();
    }
    try (XgbTreeGrader trees = XgbTreeGrader.loadDefault()) {
      ModelInfo info = trees.info();
      assertEquals("trained on " + info.training().get("dataset") + " ("
          + info.training().get("patients") + " patients, CC BY 4.0), "
          + "model-info disc-grading-trees " + info.version() + ", card (class path) "
          + "models/disc-grading-trees/MODEL_CARD.md, sha256 " + sha12(model),
          ModelProvenance.ofTrees(info));
      // trees trained elsewhere: their own summary, not the bundled files' card and digest
      Map<String, Object> training = new LinkedHashMap<>(info.training());
      training.put("patients", 12);
      ModelInfo other = new ModelInfo(info.name(), info.version(), info.featureNames(),
          info.classOrder(), info.hyperParameters(), training);
      assertEquals("trained on " + info.training().get("dataset") + " (12 patients, CC BY 4.0), "
          + "model-info disc-grading-trees " + info.version(), ModelProvenance.ofTrees(other));
    }
  }
}
