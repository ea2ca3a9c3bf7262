package io.spoils.gateway.backend;

import io.spoils.proto.inference.DataType;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One model the pipeline runs on an inference backend, as {@code triton-models/CONTRACT.md}
 * defines it: its repository name, its role, and its tensor contract (inputs and outputs without
 * the batch dimension, -1 for a variable size). The version is whatever the backend serves
 * ({@link ModelSpec#version()}); a response names it.
 *
 * @param name the model repository folder name
 * @param role its part in the analysis
 * @param inputs the inputs it takes, in contract order
 * @param outputs the outputs it gives, in contract order
 */
public record RegisteredModel(String name, ModelRole role, List<TensorSpec> inputs,
    List<TensorSpec> outputs) {

  public RegisteredModel {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  /** An FP32 tensor of the contract. */
  static TensorSpec fp32(String name, long... dims) {
    return new TensorSpec(name, DataType.TYPE_FP32, Arrays.stream(dims).boxed().toList());
  }

  /**
   * A served spec of this model: its contract with the given version, platform, batch limit and
   * file (the simulated backend serves the contract itself).
   */
  public ModelSpec spec(long version, String platform, int maxBatchSize,
      java.nio.file.Path modelFile) {
    return new ModelSpec(name, version, platform, maxBatchSize, inputs, outputs, modelFile);
  }

  /** The input named {@code tensor}. */
  public Optional<TensorSpec> input(String tensor) {
    return inputs.stream().filter(t -> t.name().equals(tensor)).findFirst();
  }
}
