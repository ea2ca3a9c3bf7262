package io.spoils.proto.inference;

import static io.spoils.proto.DescriptorAssertions.assertEnum;
import static io.spoils.proto.DescriptorAssertions.assertExactFields;
import static io.spoils.proto.DescriptorAssertions.assertFields;
import static io.spoils.proto.DescriptorAssertions.assertOneof;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Pins Triton's model configuration schema (what config.pbtxt files and the ModelConfig RPC use):
 * every field, number and enum value listed in shared/reference/triton-kserve-v2.md, plus the
 * version policy and warmup messages a realistic config uses.
 */
class ModelConfigDescriptorTest {

  @Test
  void modelConfig_fields() {
    assertEquals("inference.ModelConfig", ModelConfig.getDescriptor().getFullName());
    assertFields(ModelConfig.getDescriptor(),
        "string name = 1; string platform = 2; string backend = 17;"
            + "ModelVersionPolicy version_policy = 3; int32 max_batch_size = 4;"
            + "repeated ModelInput input = 5; repeated ModelOutput output = 6;"
            + "repeated ModelInstanceGroup instance_group = 7;"
            + "string default_model_filename = 8;"
            + "ModelOptimizationPolicy optimization = 12;"
            + "map<string, ModelParameter> parameters = 14;"
            + "repeated ModelWarmup model_warmup = 16;"
            + "ModelDynamicBatching dynamic_batching = 11;"
            + "ModelSequenceBatching sequence_batching = 13;"
            + "ModelEnsembling ensemble_scheduling = 15");
    assertOneof(ModelConfig.getDescriptor(), "scheduling_choice",
        "dynamic_batching", "sequence_batching", "ensemble_scheduling");
  }

  @Test
  void modelInput_fieldsAndFormat() {
    assertExactFields(ModelInput.getDescriptor(),
        "string name = 1; DataType data_type = 2; Format format = 3; repeated int64 dims = 4;"
            + "ModelTensorReshape reshape = 5; bool is_shape_tensor = 6;"
            + "bool allow_ragged_batch = 7; bool optional = 8; bool is_non_linear_format_io = 9");
    assertEnum(ModelInput.Format.getDescriptor(),
        "FORMAT_NONE = 0; FORMAT_NHWC = 1; FORMAT_NCHW = 2");
  }

  @Test
  void modelOutput_fields() {
    assertFields(ModelOutput.getDescriptor(),
        "string name = 1; DataType data_type = 2; repeated int64 dims = 3;"
            + "string label_filename = 4; ModelTensorReshape reshape = 5;"
            + "bool is_shape_tensor = 6");
  }

  @Test
  void modelTensorReshape_fields() {
    assertExactFields(ModelTensorReshape.getDescriptor(), "repeated int64 shape = 1");
  }

  @Test
  void modelInstanceGroup_fieldsAndKind() {
    assertFields(ModelInstanceGroup.getDescriptor(),
        "string name = 1; int32 count = 2; repeated int32 gpus = 3; Kind kind = 4");
    assertEnum(ModelInstanceGroup.Kind.getDescriptor(),
        "KIND_AUTO = 0; KIND_GPU = 1; KIND_CPU = 2; KIND_MODEL = 3");
  }

  @Test
  void modelDynamicBatching_fields() {
    assertFields(ModelDynamicBatching.getDescriptor(),
        "repeated int32 preferred_batch_size = 1; uint64 max_queue_delay_microseconds = 2;"
            + "bool preserve_ordering = 3; uint64 priority_levels = 4;"
            + "uint64 default_priority_level = 5; ModelQueuePolicy default_queue_policy = 6");
  }

  @Test
  void modelQueuePolicy_fieldsAndTimeoutAction() {
    assertExactFields(ModelQueuePolicy.getDescriptor(),
        "TimeoutAction timeout_action = 1; uint64 default_timeout_microseconds = 2;"
            + "bool allow_timeout_override = 3; uint32 max_queue_size = 4");
    assertEnum(ModelQueuePolicy.TimeoutAction.getDescriptor(), "REJECT = 0; DELAY = 1");
  }

  @Test
  void modelOptimizationPolicy_executionAccelerators() {
    assertFields(ModelOptimizationPolicy.getDescriptor(),
        "ExecutionAccelerators execution_accelerators = 4");
    assertExactFields(ModelOptimizationPolicy.ExecutionAccelerators.getDescriptor(),
        "repeated Accelerator gpu_execution_accelerator = 1;"
            + "repeated Accelerator cpu_execution_accelerator = 2");
    assertExactFields(ModelOptimizationPolicy.ExecutionAccelerators.Accelerator.getDescriptor(),
        "string name = 1; map<string, string> parameters = 2");
  }

  @Test
  void modelParameter_fields() {
    assertExactFields(ModelParameter.getDescriptor(), "string string_value = 1");
  }

  @Test
  void modelVersionPolicy_oneof() {
    assertExactFields(ModelVersionPolicy.getDescriptor(),
        "Latest latest = 1; All all = 2; Specific specific = 3");
    assertOneof(ModelVersionPolicy.getDescriptor(), "policy_choice", "latest", "all", "specific");
    assertExactFields(ModelVersionPolicy.Latest.getDescriptor(), "uint32 num_versions = 1");
    assertExactFields(ModelVersionPolicy.All.getDescriptor(), "");
    assertExactFields(ModelVersionPolicy.Specific.getDescriptor(), "repeated int64 versions = 1");
  }

  @Test
  void modelWarmup_fields() {
    assertExactFields(ModelWarmup.getDescriptor(),
        "string name = 1; uint32 batch_size = 2; map<string, Input> inputs = 3; uint32 count = 4");
    assertExactFields(ModelWarmup.Input.getDescriptor(),
        "DataType data_type = 1; repeated int64 dims = 2; bool zero_data = 3;"
            + "bool random_data = 4; string input_data_file = 5");
    assertOneof(ModelWarmup.Input.getDescriptor(), "input_data_type",
        "zero_data", "random_data", "input_data_file");
  }

  @Test
  void dataType_values() {
    assertEquals("inference.DataType", DataType.getDescriptor().getFullName());
    assertEnum(DataType.getDescriptor(),
        "TYPE_INVALID = 0; TYPE_BOOL = 1; TYPE_UINT8 = 2; TYPE_UINT16 = 3; TYPE_UINT32 = 4;"
            + "TYPE_UINT64 = 5; TYPE_INT8 = 6; TYPE_INT16 = 7; TYPE_INT32 = 8; TYPE_INT64 = 9;"
            + "TYPE_FP16 = 10; TYPE_FP32 = 11; TYPE_FP64 = 12; TYPE_STRING = 13; TYPE_BF16 = 14");
  }
}
