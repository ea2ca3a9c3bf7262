package io.spoils.gateway.backend.triton;

import io.spoils.gateway.backend.ModelSpec;
import io.spoils.gateway.backend.TensorSpec;
import io.spoils.proto.inference.ModelMetadataResponse;
import io.spoils.proto.inference.ModelMetadataResponse.TensorMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Compares what Triton reports for a model (ModelMetadata) with the local model repository's
 * {@link ModelSpec}: the same input and output names, datatypes and shapes, where Triton's shapes
 * carry the batch dimension ({@code -1}) in front for a model with {@code max_batch_size > 0}.
 */
public final class TritonModelCheck {

  private TritonModelCheck() {
  }

  /** The differences, one readable line each; empty when the server serves the local model. */
  public static List<String> mismatches(ModelSpec local, ModelMetadataResponse remote) {
    List<String> out = new ArrayList<>();
    compare(local, "input", local.inputs(), remote.getInputsList(), out);
    compare(local, "output", local.outputs(), remote.getOutputsList(), out);
    return out;
  }

  /** The shape Triton reports for {@code t}: its dims, with -1 in front for a batching model. */
  public static List<Long> expectedShape(ModelSpec spec, TensorSpec t) {
    List<Long> shape = new ArrayList<>();
    if (spec.batched()) {
      shape.add(-1L);
    }
    shape.addAll(t.dims());
    return shape;
  }

  /** KServe datatype string of a config data type ({@code TYPE_FP32} -&gt; {@code FP32}). */
  public static String datatype(TensorSpec t) {
    String n = t.dataType().name();
    return n.equals("TYPE_STRING") ? "BYTES" : n.substring("TYPE_".length());
  }

  private static void compare(ModelSpec spec, String kind, List<TensorSpec> local,
      List<TensorMetadata> remote, List<String> out) {
    Map<String, TensorMetadata> byName = remote.stream()
        .collect(Collectors.toMap(TensorMetadata::getName, Function.identity(), (a, b) -> a));
    for (TensorSpec t : local) {
      TensorMetadata r = byName.remove(t.name());
      if (r == null) {
        out.add(kind + " " + t.name() + " is missing on the server");
        continue;
      }
      if (!datatype(t).equals(r.getDatatype())) {
        out.add(kind + " " + t.name() + " is " + r.getDatatype() + " on the server, "
            + datatype(t) + " locally");
      }
      List<Long> expected = expectedShape(spec, t);
      if (!expected.equals(r.getShapeList())) {
        out.add(kind + " " + t.name() + " has shape " + r.getShapeList() + " on the server, "
            + expected + " locally");
      }
    }
    byName.keySet().forEach(n -> out.add(kind + " " + n + " exists only on the server"));
  }
}
