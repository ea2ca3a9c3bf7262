package io.spoils.gateway.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds model repositories in temporary folders from the tiny test model. */
final class TestRepositories {

  static final String TINY = "tiny_conv";
  static final String TINY_CONFIG = """
      name: "tiny_conv"
      platform: "onnxruntime_onnx"
      max_batch_size: 8
      input [ { name: "x" data_type: TYPE_FP32 dims: [ 2, -1, -1 ] } ]
      output [ { name: "y" data_type: TYPE_FP32 dims: [ 3, -1, -1 ] } ]
      """;

  private TestRepositories() {
  }

  /** The tiny model's ONNX bytes (see generate_tiny_conv.py). */
  static byte[] tinyOnnx() {
    try (InputStream in = TestRepositories.class.getResourceAsStream(
        "/backend/repository/tiny_conv/1/model.onnx")) {
      if (in == null) {
        throw new IllegalStateException("missing test resource backend/repository/tiny_conv/1/model.onnx");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code <root>/<name>/config.pbtxt} and the tiny ONNX model as each given version. */
  static Path model(Path root, String name, String config, String... versions) {
    try {
      Path folder = Files.createDirectories(root.resolve(name));
      if (config != null) {
        Files.writeString(folder.resolve("config.pbtxt"), config, StandardCharsets.UTF_8);
      }
      for (String v : versions) {
        Files.write(Files.createDirectories(folder.resolve(v)).resolve("model.onnx"), tinyOnnx());
      }
      return folder;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
