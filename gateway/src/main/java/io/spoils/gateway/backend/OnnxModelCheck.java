package io.spoils.gateway.backend;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.spoils.proto.inference.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Start-up check that an ONNX graph is what its config.pbtxt declares: the same input names, every
 * declared output present, FP32 element types, and compatible shapes. With batching, the graph's
 * leading dimension must be dynamic (or 1 when max_batch_size is 1); a dimension fixed in the config
 * must be the same or dynamic in the graph, and one variable in the config (-1) must be dynamic in
 * the graph too, or requests the gateway accepts would fail inside ONNX Runtime.
 */
final class OnnxModelCheck {

  private OnnxModelCheck() {
  }

  /** Platforms this backend runs. */
  static boolean isOnnx(ModelSpec spec) {
    return spec.platform().equals("onnxruntime_onnx") || spec.platform().equals("onnxruntime");
  }

  /**
   * @throws ModelRepositoryException listing every mismatch
   */
  static void check(ModelSpec spec, OrtSession session) throws OrtException {
    List<String> problems = new ArrayList<>();
    Map<String, NodeInfo> graphInputs = session.getInputInfo();
    Map<String, NodeInfo> graphOutputs = session.getOutputInfo();
    TreeSet<String> declared = new TreeSet<>();
    spec.inputs().forEach(t -> declared.add(t.name()));
    if (!declared.equals(new TreeSet<>(graphInputs.keySet()))) {
      problems.add("inputs " + declared + " in config.pbtxt, " + new TreeSet<>(graphInputs.keySet())
          + " in the ONNX graph");
    }
    for (TensorSpec t : spec.inputs()) {
      compare(spec, t, graphInputs.get(t.name()), "input", problems);
    }
    for (TensorSpec t : spec.outputs()) {
      NodeInfo info = graphOutputs.get(t.name());
      if (info == null) {
        problems.add("output " + t.name() + " is not in the ONNX graph (it has "
            + new TreeSet<>(graphOutputs.keySet()) + ")");
      } else {
        compare(spec, t, info, "output", problems);
      }
    }
    if (!problems.isEmpty()) {
      throw new ModelRepositoryException("model " + spec.name() + " version " + spec.version()
          + ": config.pbtxt does not match " + spec.modelFile().getFileName() + ": "
          + String.join("; ", problems));
    }
  }

  private static void compare(ModelSpec spec, TensorSpec t, NodeInfo info, String kind,
      List<String> problems) {
    if (t.dataType() != DataType.TYPE_FP32) {
      problems.add(kind + " " + t.name() + " is " + t.dataType() + "; only TYPE_FP32 is supported");
    }
    if (info == null) {
      return;
    }
    if (!(info.getInfo() instanceof TensorInfo ti)) {
      problems.add(kind + " " + t.name() + " is not a tensor in the ONNX graph");
      return;
    }
    if (ti.type != OnnxJavaType.FLOAT) {
      problems.add(kind + " " + t.name() + " is " + ti.type + " in the ONNX graph, not FLOAT");
    }
    long[] graph = ti.getShape();
    long[] dims = t.dimsArray();
    String shapes = kind + " " + t.name() + ": dims " + Arrays.toString(dims) + " with max_batch_size "
        + spec.maxBatchSize() + " vs ONNX shape " + Arrays.toString(graph);
    int offset = spec.batched() ? 1 : 0;
    if (graph.length != dims.length + offset) {
      problems.add(shapes + " (rank differs)");
      return;
    }
    if (spec.batched() && graph[0] != -1 && !(graph[0] == 1 && spec.maxBatchSize() == 1)) {
      problems.add(shapes + " (the batch dimension must be dynamic)");
    }
    for (int i = 0; i < dims.length; i++) {
      long g = graph[i + offset];
      if (dims[i] == -1 ? g != -1 : g != -1 && g != dims[i]) {
        problems.add(shapes + " (dimension " + i + " differs)");
      }
    }
  }
}
