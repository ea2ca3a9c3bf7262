package io.spoils.gateway.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.proto.inference.DataType;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRepositoryTest {

  @TempDir
  Path root;

  @Test
  void load_committedTestRepository() throws URISyntaxException {
    Path repo = Path.of(getClass().getResource("/backend/repository").toURI());
    ModelSpec spec = ModelRepository.load(repo).model(TestRepositories.TINY).orElseThrow();
    assertEquals(1, spec.version());
    assertEquals("onnxruntime_onnx", spec.platform());
    assertEquals(8, spec.maxBatchSize());
    assertEquals(List.of(new TensorSpec("x", DataType.TYPE_FP32, List.of(2L, -1L, -1L))), spec.inputs());
    assertEquals(List.of(new TensorSpec("y", DataType.TYPE_FP32, List.of(3L, -1L, -1L))), spec.outputs());
    assertEquals(repo.resolve("tiny_conv/1/model.onnx"), spec.modelFile());
  }

  @Test
  void load_highestNumericVersionWithModelFile() throws IOException {
    TestRepositories.model(root, "m", TestRepositories.TINY_CONFIG.replace("tiny_conv", "m"),
        "1", "2", "01", "0", "v7", "10x");
    Files.createDirectories(root.resolve("m/3"));  // no model file: not servable
    ModelSpec spec = ModelRepository.load(root).model("m").orElseThrow();
    assertEquals(2, spec.version());
    assertEquals(root.resolve("m/2/model.onnx"), spec.modelFile());
  }

  @Test
  void load_versionsCompareNumerically() {
    TestRepositories.model(root, "m", TestRepositories.TINY_CONFIG.replace("tiny_conv", "m"), "9", "10");
    assertEquals(10, ModelRepository.load(root).model("m").orElseThrow().version());
  }

  @Test
  void load_weightsParameterUntrained_markedAndProvenanceSaysSo() {
    TestRepositories.model(root, "m", TestRepositories.TINY_CONFIG.replace("tiny_conv", "m")
        + "parameters {\n  key: \"weights\"\n  value: { string_value: \"untrained\" }\n}\n", "1");
    TestRepositories.model(root, "n", TestRepositories.TINY_CONFIG.replace("tiny_conv", "n"), "1");
    ModelRepository repository = ModelRepository.load(root);
    assertTrue(repository.untrained("m"));
    assertFalse(repository.untrained("n"));
    assertFalse(repository.untrained("absent"));
    assertTrue(repository.provenance("m").orElseThrow().startsWith(ModelProvenance.UNTRAINED + ", sha256 "),
        repository.provenance("m").orElseThrow());
  }

  @Test
  void load_emptyNameTakesFolderName() {
    TestRepositories.model(root, "m", TestRepositories.TINY_CONFIG.replace("name: \"tiny_conv\"", ""), "1");
    assertEquals("m", ModelRepository.load(root).model("m").orElseThrow().name());
  }

  @Test
  void load_defaultModelFilename() throws IOException {
    Path folder = TestRepositories.model(root, "m", TestRepositories.TINY_CONFIG.replace("tiny_conv", "m")
        + "default_model_filename: \"net.onnx\"\n");
    Files.write(Files.createDirectories(folder.resolve("4")).resolve("net.onnx"), TestRepositories.tinyOnnx());
    assertEquals(folder.resolve("4/net.onnx"), ModelRepository.load(root).model("m").orElseThrow().modelFile());
  }

  @Test
  void load_skipsFoldersThatAreNoModels() throws IOException {
    Files.createDirectories(root.resolve("training/data"));
    Files.createDirectories(root.resolve(".git"));
    Files.writeString(root.resolve("README.md"), "models");
    assertTrue(ModelRepository.load(root).models().isEmpty());
  }

  @Test
  void load_nameDoesNotMatchFolder() {
    TestRepositories.model(root, "other", TestRepositories.TINY_CONFIG, "1");
    assertFails("name \"tiny_conv\" does not match its folder");
  }

  @Test
  void load_syntaxError() {
    TestRepositories.model(root, "m", "name: \"m\"\ninput [ { name: \"x\" ", "1");
    assertFails("model m");
  }

  @Test
  void load_unknownField() {
    TestRepositories.model(root, "m", TestRepositories.TINY_CONFIG.replace("tiny_conv", "m") + "colour: 3\n", "1");
    assertFails("colour");
  }

  @Test
  void load_versionFoldersWithoutConfig() {
    TestRepositories.model(root, "m", null, "1");
    assertFails("no config.pbtxt");
  }

  @Test
  void load_noServableVersion() throws IOException {
    TestRepositories.model(root, "m", TestRepositories.TINY_CONFIG.replace("tiny_conv", "m"), "01");
    Files.createDirectories(root.resolve("m/1"));
    assertFails("no version folder");
  }

  @Test
  void load_missingDataTypeOrDims() {
    TestRepositories.model(root, "m", TestRepositories.TINY_CONFIG.replace("tiny_conv", "m")
        .replace("data_type: TYPE_FP32 dims: [ 2, -1, -1 ]", "dims: [ 2 ]"), "1");
    assertFails("data_type missing");
  }

  @Test
  void load_invalidDimension() {
    TestRepositories.model(root, "m", TestRepositories.TINY_CONFIG.replace("tiny_conv", "m")
        .replace("[ 3, -1, -1 ]", "[ 3, 0, -2 ]"), "1");
    assertFails("invalid dimension 0");
  }

  @Test
  void load_noOutputs() {
    TestRepositories.model(root, "m", TestRepositories.TINY_CONFIG.replace("tiny_conv", "m")
        .replaceAll("output \\[.*\\]\n", ""), "1");
    assertFails("declares no output");
  }

  @Test
  void load_noPlatform() {
    TestRepositories.model(root, "m", TestRepositories.TINY_CONFIG.replace("tiny_conv", "m")
        .replace("platform: \"onnxruntime_onnx\"", ""), "1");
    assertFails("neither platform nor backend");
  }

  @Test
  void load_specificVersionPolicyUnsupported() {
    TestRepositories.model(root, "m", TestRepositories.TINY_CONFIG.replace("tiny_conv", "m")
        + "version_policy: { specific: { versions: [1] } }\n", "1");
    assertFails("version policy");
  }

  @Test
  void load_rootNotAFolder() {
    ModelRepositoryException e = assertThrows(ModelRepositoryException.class,
        () -> ModelRepository.load(root.resolve("absent")));
    assertTrue(e.getMessage().contains("is not a folder"), e.getMessage());
  }

  private void assertFails(String expectedPart) {
    ModelRepositoryException e = assertThrows(ModelRepositoryException.class, () -> ModelRepository.load(root));
    assertTrue(e.getMessage().contains(expectedPart), e.getMessage());
  }
}
