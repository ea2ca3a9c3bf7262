package io.spoils.gateway.backend;

import io.spoils.feature.tensor.FloatTensor;
import java.util.Map;
import java.util.Objects;

/**
 * The result of an inference call.
 *
 * @param model model name
 * @param version the model version that answered
 * @param outputs output tensors by name, FP32, batch dimension in front (the request's n)
 */
public record InferResponse(String model, long version, Map<String, FloatTensor> outputs) {

  public InferResponse {
    Objects.requireNonNull(model, "model");
    outputs = Map.copyOf(outputs);
  }

  /** The output named {@code name}. */
  public FloatTensor output(String name) {
    FloatTensor t = outputs.get(name);
    if (t == null) {
      throw new BackendException(BackendStatus.INTERNAL, "model " + model + " returned no output " + name);
    }
    return t;
  }
}
