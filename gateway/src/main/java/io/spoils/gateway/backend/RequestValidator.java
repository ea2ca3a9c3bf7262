package io.spoils.gateway.backend;

import io.spoils.feature.tensor.FloatTensor;
import io.spoils.proto.inference.DataType;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Checks a request against the model's declared inputs before any backend work, so that every
 * backend rejects the same requests with the same {@link BackendStatus#INVALID_ARGUMENT} reasons.
 */
public final class RequestValidator {

  private RequestValidator() {
  }

  /**
   * Validates names, element types, shapes and batch size.
   *
   * @return the batch size n (the leading dimension shared by all inputs), or 0 for a model without
   *     batching
   * @throws BackendException {@code INVALID_ARGUMENT} with the reason
   */
  public static int validate(ModelSpec spec, InferRequest request) {
    Map<String, FloatTensor> inputs = request.inputs();
    Set<String> expected = spec.inputs().stream().map(TensorSpec::name)
        .collect(Collectors.toCollection(TreeSet::new));
    if (!expected.equals(new TreeSet<>(inputs.keySet()))) {
      throw invalid("model " + spec.name() + " takes inputs " + expected + ", got "
          + new TreeSet<>(inputs.keySet()));
    }
    int batch = -1;
    for (TensorSpec in : spec.inputs()) {
      long[] shape = inputs.get(in.name()).shape();
      if (in.dataType() != DataType.TYPE_FP32) {
        throw invalid("input " + in.name() + " of model " + spec.name() + " is " + in.dataType()
            + ", got TYPE_FP32");
      }
      int n = checkShape(spec, in, shape);
      if (batch >= 0 && n != batch) {
        throw invalid("inputs of model " + spec.name() + " disagree on the batch size: " + batch
            + " and " + n);
      }
      batch = n;
    }
    return batch;
  }

  private static int checkShape(ModelSpec spec, TensorSpec in, long[] shape) {
    String expected = (spec.batched() ? "[n, " : "[")
        + in.dims().stream().map(String::valueOf).collect(Collectors.joining(", ")) + "]";
    long[] item = spec.batched() && shape.length > 0 ? Arrays.copyOfRange(shape, 1, shape.length) : shape;
    if ((spec.batched() && shape.length == 0) || !in.accepts(item)) {
      throw invalid("input " + in.name() + " of model " + spec.name() + " must have shape " + expected
          + ", got " + Arrays.toString(shape));
    }
    if (!spec.batched()) {
      return 0;
    }
    if (shape[0] < 1 || shape[0] > spec.maxBatchSize()) {
      throw invalid("batch size of input " + in.name() + " must be 1 to " + spec.maxBatchSize()
          + ", got " + shape[0]);
    }
    return (int) shape[0];
  }

  private static BackendException invalid(String reason) {
    return new BackendException(BackendStatus.INVALID_ARGUMENT, reason);
  }
}
