package io.spoils.gateway.backend.triton;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spoils.feature.tensor.FloatTensor;
import io.spoils.gateway.backend.BackendException;
import io.spoils.gateway.backend.BackendStatus;
import io.spoils.gateway.backend.Deadline;
import io.spoils.gateway.backend.InferRequest;
import io.spoils.gateway.backend.ModelSpec;
import io.spoils.gateway.backend.TensorSpec;
import io.spoils.proto.inference.DataType;
import io.spoils.proto.inference.InferTensorContents;
import io.spoils.proto.inference.ModelInferRequest;
import io.spoils.proto.inference.ModelInferResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TritonCodecTest {

  private static final ModelSpec SPEC = new ModelSpec("m", 1, "onnxruntime_onnx", 4,
      List.of(new TensorSpec("x", DataType.TYPE_FP32, List.of(2L))),
      List.of(new TensorSpec("y", DataType.TYPE_FP32, List.of(3L))), Path.of("model.onnx"));

  private static ModelInferResponse.InferOutputTensor.Builder y(long... shape) {
    ModelInferResponse.InferOutputTensor.Builder b = ModelInferResponse.InferOutputTensor
        .newBuilder().setName("y").setDatatype("FP32");
    for (long d : shape) {
      b.addShape(d);
    }
    return b;
  }

  @Test
  void encode_rawLittleEndianWithBatchShape() {
    ModelInferRequest r = TritonCodec.encode(SPEC, InferRequest.of("m",
        Map.of("x", FloatTensor.of(new float[] {1f, -2f}, 1, 2)), Deadline.after(Duration.ofSeconds(1))));
    assertEquals(List.of(1L, 2L), r.getInputs(0).getShapeList());
    assertEquals("FP32", r.getInputs(0).getDatatype());
    // 1.0f = 0x3F800000, -2.0f = 0xC0000000, least significant byte first
    assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3F, 0, 0, 0, (byte) 0xC0},
        r.getRawInputContents(0).toByteArray());
    assertEquals("y", r.getOutputs(0).getName());
  }

  @Test
  void decode_fp32ContentsWithoutRaw() {
    ModelInferResponse resp = ModelInferResponse.newBuilder().addOutputs(y(1, 3).setContents(
        InferTensorContents.newBuilder().addAllFp32Contents(List.of(1f, 2f, 3f)))).build();
    FloatTensor t = TritonCodec.decode(SPEC, resp, 1).get("y");
    assertArrayEquals(new long[] {1, 3}, t.shape());
    assertArrayEquals(new float[] {1f, 2f, 3f}, t.data());
  }

  @Test
  void decode_raw() {
    ModelInferResponse resp = ModelInferResponse.newBuilder().addOutputs(y(1, 3))
        .addRawOutputContents(TritonCodec.toBytes(new float[] {4f, 5f, 6f})).build();
    assertArrayEquals(new float[] {4f, 5f, 6f}, TritonCodec.decode(SPEC, resp, 1).get("y").data());
  }

  @Test
  void decode_wrongBatchOrSize_internal() {
    ModelInferResponse wrongBatch = ModelInferResponse.newBuilder().addOutputs(y(2, 3))
        .addRawOutputContents(TritonCodec.toBytes(new float[6])).build();
    ModelInferResponse short_ = ModelInferResponse.newBuilder().addOutputs(y(1, 3))
        .addRawOutputContents(TritonCodec.toBytes(new float[2])).build();
    ModelInferResponse missing = ModelInferResponse.newBuilder().build();
    for (ModelInferResponse r : List.of(wrongBatch, short_, missing)) {
      BackendException e = assertThrows(BackendException.class, () -> TritonCodec.decode(SPEC, r, 1));
      assertEquals(BackendStatus.INTERNAL, e.status());
    }
  }
}
