package io.spoils.gateway.backend;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A model of the repository, as served: the version chosen and what config.pbtxt declares.
 *
 * @param name model name (= its folder name)
 * @param version the highest numeric version folder holding the model file
 * @param platform config.pbtxt {@code platform} (e.g. {@code onnxruntime_onnx}), or
 *     {@code backend} when no platform is given
 * @param maxBatchSize 0: no batch dimension, dims are full shapes; &gt; 0: requests carry a leading
 *     batch dimension of 1 to this size
 * @param inputs declared inputs, in config order
 * @param outputs declared outputs, in config order
 * @param modelFile the model file of {@code version}
 */
public record ModelSpec(String name, long version, String platform, int maxBatchSize,
    List<TensorSpec> inputs, List<TensorSpec> outputs, Path modelFile) {

  public ModelSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(modelFile, "modelFile");
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  /** Whether requests carry a leading batch dimension. */
  public boolean batched() {
    return maxBatchSize > 0;
  }

  /** The input named {@code name}. */
  public Optional<TensorSpec> input(String tensorName) {
    return inputs.stream().filter(t -> t.name().equals(tensorName)).findFirst();
  }

  /** The output named {@code name}. */
  public Optional<TensorSpec> output(String tensorName) {
    return outputs.stream().filter(t -> t.name().equals(tensorName)).findFirst();
  }
}
