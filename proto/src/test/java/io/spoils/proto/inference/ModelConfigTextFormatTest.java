package io.spoils.proto.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A Triton config.pbtxt is the text format of {@code inference.ModelConfig}; the project's own
 * schema must read a realistic one completely and reject what Triton would reject.
 */
class ModelConfigTextFormatTest {

  private static final String CONFIG = "/model-repository/spine_seg/config.pbtxt";

  private static String resource(String path) throws IOException {
    try (InputStream in = ModelConfigTextFormatTest.class.getResourceAsStream(path)) {
      assertNotNull(in, "test resource " + path + " is missing");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  // Triton reads config.pbtxt with the C++ parser, which by default rejects a singular field (or a
  // second oneof member) given twice; Java's default parser silently keeps the last one.
  private static final TextFormat.Parser TRITON_LIKE = TextFormat.Parser.newBuilder()
      .setSingularOverwritePolicy(
          TextFormat.Parser.SingularOverwritePolicy.FORBID_SINGULAR_OVERWRITES)
      .build();

  private static ModelConfig parse(String text) throws TextFormat.ParseException {
    ModelConfig.Builder builder = ModelConfig.newBuilder();
    TRITON_LIKE.merge(text, builder);
    return builder.build();
  }

  @Test
  void parse_headerAndTensors() throws Exception {
    ModelConfig config = parse(resource(CONFIG));

    assertEquals("spine_seg", config.getName());
    assertEquals("onnxruntime_onnx", config.getPlatform());
    assertEquals(8, config.getMaxBatchSize());
    assertEquals(1, config.getVersionPolicy().getLatest().getNumVersions());

    assertEquals(1, config.getInputCount());
    ModelInput input = config.getInput(0);
    assertEquals("image", input.getName());
    assertEquals(DataType.TYPE_FP32, input.getDataType());
    assertEquals(ModelInput.Format.FORMAT_NCHW, input.getFormat());
    assertEquals(List.of(1L, 512L, 512L), input.getDimsList());

    assertEquals(1, config.getOutputCount());
    assertEquals("logits", config.getOutput(0).getName());
    assertEquals(DataType.TYPE_FP32, config.getOutput(0).getDataType());
    assertEquals(List.of(14L, 512L, 512L), config.getOutput(0).getDimsList());
  }

  @Test
  void parse_dynamicBatchingWithQueuePolicy() throws Exception {
    ModelConfig config = parse(resource(CONFIG));

    assertEquals(ModelConfig.SchedulingChoiceCase.DYNAMIC_BATCHING,
        config.getSchedulingChoiceCase());
    ModelDynamicBatching batching = config.getDynamicBatching();
    assertEquals(List.of(4, 8), batching.getPreferredBatchSizeList());
    assertEquals(2000, batching.getMaxQueueDelayMicroseconds());
    ModelQueuePolicy queue = batching.getDefaultQueuePolicy();
    assertEquals(ModelQueuePolicy.TimeoutAction.REJECT, queue.getTimeoutAction());
    assertEquals(500_000, queue.getDefaultTimeoutMicroseconds());
    assertEquals(64, queue.getMaxQueueSize());
  }

  @Test
  void parse_twoGpuInstanceGroups() throws Exception {
    ModelConfig config = parse(resource(CONFIG));

    assertEquals(2, config.getInstanceGroupCount());
    for (ModelInstanceGroup group : config.getInstanceGroupList()) {
      assertEquals(ModelInstanceGroup.Kind.KIND_GPU, group.getKind());
      assertEquals(1, group.getCount());
      assertEquals(List.of(0), group.getGpusList());
    }
    assertEquals("spine_seg_gpu0_b", config.getInstanceGroup(1).getName());
  }

  @Test
  void parse_tensorRtAcceleratorFp16() throws Exception {
    ModelConfig config = parse(resource(CONFIG));

    ModelOptimizationPolicy.ExecutionAccelerators accelerators =
        config.getOptimization().getExecutionAccelerators();
    assertEquals(1, accelerators.getGpuExecutionAcceleratorCount());
    assertEquals(0, accelerators.getCpuExecutionAcceleratorCount());
    ModelOptimizationPolicy.ExecutionAccelerators.Accelerator trt =
        accelerators.getGpuExecutionAccelerator(0);
    assertEquals("tensorrt", trt.getName());
    assertEquals("FP16", trt.getParametersOrThrow("precision_mode"));
    assertEquals("1073741824", trt.getParametersOrThrow("max_workspace_size_bytes"));
  }

  @Test
  void parse_parametersAndWarmup() throws Exception {
    ModelConfig config = parse(resource(CONFIG));

    assertEquals("1", config.getParametersOrThrow("cudnn_conv_algo_search").getStringValue());
    assertEquals(1, config.getModelWarmupCount());
    ModelWarmup warmup = config.getModelWarmup(0);
    assertEquals("zeros_batch1", warmup.getName());
    assertEquals(1, warmup.getBatchSize());
    ModelWarmup.Input image = warmup.getInputsOrThrow("image");
    assertEquals(DataType.TYPE_FP32, image.getDataType());
    assertEquals(List.of(1L, 512L, 512L), image.getDimsList());
    assertEquals(ModelWarmup.Input.InputDataTypeCase.ZERO_DATA, image.getInputDataTypeCase());
  }

  @Test
  void parse_printedConfigReadsBackEqual() throws Exception {
    ModelConfig config = parse(resource(CONFIG));

    assertEquals(config, parse(TextFormat.printer().printToString(config)));
  }

  @Test
  void parse_unknownFieldRejected() {
    TextFormat.ParseException e = assertThrows(TextFormat.ParseException.class,
        () -> parse("name: \"m\"\nmax_batch_sise: 4\n"));
    assertTrue(e.getMessage().contains("max_batch_sise"), e.getMessage());
  }

  @Test
  void parse_unknownDataTypeRejected() {
    assertThrows(TextFormat.ParseException.class,
        () -> parse("input [ { name: \"x\" data_type: TYPE_FLOAT32 dims: [ 1 ] } ]"));
  }

  @Test
  void parse_repeatedSingularFieldRejected() {
    assertThrows(TextFormat.ParseException.class,
        () -> parse("max_batch_size: 4\nmax_batch_size: 8\n"));
  }

  @Test
  void parse_secondSchedulingChoiceRejected() {
    // scheduling_choice is a oneof: dynamic and sequence batching cannot both be configured.
    assertThrows(TextFormat.ParseException.class,
        () -> parse("dynamic_batching { }\nsequence_batching { }\n"));
  }
}
