package io.spoils.gateway.backend;

import io.spoils.proto.inference.DataType;
import java.util.List;
import java.util.Objects;

/**
 * A model input or output as declared in config.pbtxt.
 *
 * @param name tensor name
 * @param dataType element type
 * @param dims shape without the batch dimension when the model batches; -1 marks a variable size
 */
public record TensorSpec(String name, DataType dataType, List<Long> dims) {

  public TensorSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dataType, "dataType");
    dims = List.copyOf(dims);
  }

  /** The dims as an array. */
  public long[] dimsArray() {
    return dims.stream().mapToLong(Long::longValue).toArray();
  }

  /** Whether a shape (without batch dimension) fits the dims, -1 matching any size. */
  public boolean accepts(long[] shape) {
    if (shape.length != dims.size()) {
      return false;
    }
    for (int i = 0; i < shape.length; i++) {
      long d = dims.get(i);
      if (d != -1 && d != shape[i]) {
        return false;
      }
    }
    return true;
  }
}
