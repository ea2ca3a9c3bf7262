package io.spoils.proto.inference;

import static io.spoils.proto.DescriptorAssertions.assertExactFields;
import static io.spoils.proto.DescriptorAssertions.assertMethod;
import static io.spoils.proto.DescriptorAssertions.assertOneof;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Pins the wire contract of Triton's {@code inference.GRPCInferenceService} as listed in
 * shared/reference/triton-kserve-v2.md: package, service and method names, streaming flags, and
 * every message's field names, numbers and types. A failure here means SPOILS would no longer talk
 * to a stock Triton.
 */
class GrpcServiceDescriptorTest {

  private static final ServiceDescriptor SERVICE =
      GrpcServiceProto.getDescriptor().findServiceByName("GRPCInferenceService");

  @Test
  void service_fullNameAndPackage() {
    assertEquals("inference", GrpcServiceProto.getDescriptor().getPackage());
    assertEquals("inference", ModelConfigProto.getDescriptor().getPackage());
    assertEquals("inference.GRPCInferenceService", SERVICE.getFullName());
    assertEquals("inference.GRPCInferenceService", GRPCInferenceServiceGrpc.SERVICE_NAME);
  }

  @Test
  void service_methodsAndStreamingFlags() {
    assertMethod(SERVICE, "ServerLive", "inference.ServerLiveRequest",
        "inference.ServerLiveResponse", false, false);
    assertMethod(SERVICE, "ServerReady", "inference.ServerReadyRequest",
        "inference.ServerReadyResponse", false, false);
    assertMethod(SERVICE, "ModelReady", "inference.ModelReadyRequest",
        "inference.ModelReadyResponse", false, false);
    assertMethod(SERVICE, "ServerMetadata", "inference.ServerMetadataRequest",
        "inference.ServerMetadataResponse", false, false);
    assertMethod(SERVICE, "ModelMetadata", "inference.ModelMetadataRequest",
        "inference.ModelMetadataResponse", false, false);
    assertMethod(SERVICE, "ModelInfer", "inference.ModelInferRequest",
        "inference.ModelInferResponse", false, false);
    assertMethod(SERVICE, "ModelStreamInfer", "inference.ModelInferRequest",
        "inference.ModelStreamInferResponse", true, true);
    assertMethod(SERVICE, "ModelConfig", "inference.ModelConfigRequest",
        "inference.ModelConfigResponse", false, false);
  }

  @Test
  void service_declaresOnlyTheReferencedMethods() {
    List<String> names = SERVICE.getMethods().stream()
        .map(MethodDescriptor::getName).sorted().collect(Collectors.toList());
    assertEquals(List.of("ModelConfig", "ModelInfer", "ModelMetadata", "ModelReady",
        "ModelStreamInfer", "ServerLive", "ServerMetadata", "ServerReady"), names);
  }

  @Test
  void grpcStubs_methodPathsAndTypes() {
    // The HTTP/2 path is what a Triton server routes on.
    assertEquals("inference.GRPCInferenceService/ModelInfer",
        GRPCInferenceServiceGrpc.getModelInferMethod().getFullMethodName());
    assertEquals(MethodType.UNARY, GRPCInferenceServiceGrpc.getModelInferMethod().getType());
    assertEquals("inference.GRPCInferenceService/ModelStreamInfer",
        GRPCInferenceServiceGrpc.getModelStreamInferMethod().getFullMethodName());
    assertEquals(MethodType.BIDI_STREAMING,
        GRPCInferenceServiceGrpc.getModelStreamInferMethod().getType());
    assertEquals("inference.GRPCInferenceService/ModelConfig",
        GRPCInferenceServiceGrpc.getModelConfigMethod().getFullMethodName());
  }

  @Test
  void healthMessages_fields() {
    assertExactFields(ServerLiveRequest.getDescriptor(), "");
    assertExactFields(ServerLiveResponse.getDescriptor(), "bool live = 1");
    assertExactFields(ServerReadyRequest.getDescriptor(), "");
    assertExactFields(ServerReadyResponse.getDescriptor(), "bool ready = 1");
    assertExactFields(ModelReadyRequest.getDescriptor(), "string name = 1; string version = 2");
    assertExactFields(ModelReadyResponse.getDescriptor(), "bool ready = 1");
  }

  @Test
  void metadataMessages_fields() {
    assertExactFields(ServerMetadataRequest.getDescriptor(), "");
    assertExactFields(ServerMetadataResponse.getDescriptor(),
        "string name = 1; string version = 2; repeated string extensions = 3");
    assertExactFields(ModelMetadataRequest.getDescriptor(), "string name = 1; string version = 2");
    assertExactFields(ModelMetadataResponse.getDescriptor(),
        "string name = 1; repeated string versions = 2; string platform = 3;"
            + "repeated TensorMetadata inputs = 4; repeated TensorMetadata outputs = 5");
    assertEquals("inference.ModelMetadataResponse.TensorMetadata",
        ModelMetadataResponse.TensorMetadata.getDescriptor().getFullName());
    assertExactFields(ModelMetadataResponse.TensorMetadata.getDescriptor(),
        "string name = 1; string datatype = 2; repeated int64 shape = 3");
  }

  @Test
  void inferParameter_oneof() {
    assertExactFields(InferParameter.getDescriptor(),
        "bool bool_param = 1; int64 int64_param = 2; string string_param = 3;"
            + "double double_param = 4; uint64 uint64_param = 5");
    assertOneof(InferParameter.getDescriptor(), "parameter_choice",
        "bool_param", "int64_param", "string_param", "double_param", "uint64_param");
  }

  @Test
  void inferTensorContents_fields() {
    assertExactFields(InferTensorContents.getDescriptor(),
        "repeated bool bool_contents = 1; repeated int32 int_contents = 2;"
            + "repeated int64 int64_contents = 3; repeated uint32 uint_contents = 4;"
            + "repeated uint64 uint64_contents = 5; repeated float fp32_contents = 6;"
            + "repeated double fp64_contents = 7; repeated bytes bytes_contents = 8");
  }

  @Test
  void modelInferRequest_fields() {
    assertExactFields(ModelInferRequest.getDescriptor(),
        "string model_name = 1; string model_version = 2; string id = 3;"
            + "map<string, InferParameter> parameters = 4;"
            + "repeated InferInputTensor inputs = 5;"
            + "repeated InferRequestedOutputTensor outputs = 6;"
            + "repeated bytes raw_input_contents = 7");
    assertEquals("inference.ModelInferRequest.InferInputTensor",
        ModelInferRequest.InferInputTensor.getDescriptor().getFullName());
    assertExactFields(ModelInferRequest.InferInputTensor.getDescriptor(),
        "string name = 1; string datatype = 2; repeated int64 shape = 3;"
            + "map<string, InferParameter> parameters = 4; InferTensorContents contents = 5");
    assertEquals("inference.ModelInferRequest.InferRequestedOutputTensor",
        ModelInferRequest.InferRequestedOutputTensor.getDescriptor().getFullName());
    assertExactFields(ModelInferRequest.InferRequestedOutputTensor.getDescriptor(),
        "string name = 1; map<string, InferParameter> parameters = 2");
  }

  @Test
  void modelInferResponse_fields() {
    assertExactFields(ModelInferResponse.getDescriptor(),
        "string model_name = 1; string model_version = 2; string id = 3;"
            + "map<string, InferParameter> parameters = 4;"
            + "repeated InferOutputTensor outputs = 5; repeated bytes raw_output_contents = 6");
    assertEquals("inference.ModelInferResponse.InferOutputTensor",
        ModelInferResponse.InferOutputTensor.getDescriptor().getFullName());
    assertExactFields(ModelInferResponse.InferOutputTensor.getDescriptor(),
        "string name = 1; string datatype = 2; repeated int64 shape = 3;"
            + "map<string, InferParameter> parameters = 4; InferTensorContents contents = 5");
  }

  @Test
  void extensionMessages_fields() {
    assertExactFields(ModelStreamInferResponse.getDescriptor(),
        "string error_message = 1; ModelInferResponse infer_response = 2");
    assertExactFields(ModelConfigRequest.getDescriptor(), "string name = 1; string version = 2");
    assertExactFields(ModelConfigResponse.getDescriptor(), "ModelConfig config = 1");
  }

  @Test
  void modelReadyRequest_wireBytes() {
    // Hand-encoded: tag (1 << 3 | 2) = 0x0A, length 4, "seg1"; tag (2 << 3 | 2) = 0x12, length 1, "3".
    byte[] expected = {0x0A, 4, 's', 'e', 'g', '1', 0x12, 1, '3'};
    byte[] actual =
        ModelReadyRequest.newBuilder().setName("seg1").setVersion("3").build().toByteArray();
    assertArrayEquals(expected, actual);
  }

  @Test
  void inferParameter_wireBytes() {
    // int64_param = 2, varint: tag (2 << 3 | 0) = 0x10, value 300 = 0xAC 0x02.
    byte[] expected = {0x10, (byte) 0xAC, 0x02};
    assertArrayEquals(expected, InferParameter.newBuilder().setInt64Param(300).build().toByteArray());
  }
}
