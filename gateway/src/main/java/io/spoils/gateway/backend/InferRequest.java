package io.spoils.gateway.backend;

import io.spoils.feature.tensor.FloatTensor;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One inference call.
 *
 * @param model model name as in the model repository
 * @param version model version; empty for the one the backend serves (the highest)
 * @param inputs input tensors by name, FP32, each with the batch dimension in front
 *     ({@code [n, dims...]}, n from 1 to the model's max_batch_size), all with the same n
 * @param deadline when the answer is due; every backend fails the call with
 *     {@link BackendStatus#DEADLINE_EXCEEDED} once it has passed
 */
public record InferRequest(String model, OptionalLong version, Map<String, FloatTensor> inputs,
    Deadline deadline) {

  public InferRequest {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(deadline, "deadline");
    inputs = Map.copyOf(inputs);
  }

  /** A request for the served version of {@code model}. */
  public static InferRequest of(String model, Map<String, FloatTensor> inputs, Deadline deadline) {
    return new InferRequest(model, OptionalLong.empty(), inputs, deadline);
  }
}
