package io.spoils.gateway.backend.triton;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.spoils.feature.tensor.FloatTensor;
import io.spoils.gateway.backend.BackendException;
import io.spoils.gateway.backend.BackendStatus;
import io.spoils.gateway.backend.InferRequest;
import io.spoils.gateway.backend.ModelSpec;
import io.spoils.gateway.backend.TensorSpec;
import io.spoils.proto.inference.ModelInferRequest;
import io.spoils.proto.inference.ModelInferResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between the gateway's FP32 tensors and KServe v2 messages: inputs travel in
 * {@code raw_input_contents} (one entry per input, in the order of {@code inputs}, row-major,
 * little-endian FP32), outputs come back in {@code raw_output_contents} as Triton sends them, or
 * in {@code contents.fp32_contents} when a server sends no raw data. Shapes include the batch
 * dimension.
 */
public final class TritonCodec {

  /** KServe datatype string of FP32. */
  public static final String FP32 = "FP32";

  private TritonCodec() {
  }

  /** The ModelInfer request for {@code request}, inputs and requested outputs in config order. */
  public static ModelInferRequest encode(ModelSpec spec, InferRequest request) {
    ModelInferRequest.Builder b = ModelInferRequest.newBuilder().setModelName(spec.name());
    request.version().ifPresent(v -> b.setModelVersion(Long.toString(v)));
    for (TensorSpec in : spec.inputs()) {
      FloatTensor t = request.inputs().get(in.name());
      b.addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName(in.name())
          .setDatatype(FP32).addAllShape(asList(t.shape())));
      b.addRawInputContents(toBytes(t.data()));
    }
    for (TensorSpec out : spec.outputs()) {
      b.addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName(out.name()));
    }
    return b.build();
  }

  /**
   * The outputs of a ModelInfer response, checked against {@code spec}: every declared output
   * present, FP32, with the batch size {@code batch} in front (0: model without batching) and
   * {@code shape}'s element count matching the data.
   *
   * @throws BackendException {@code INTERNAL} when the answer does not fit the model
   */
  public static Map<String, FloatTensor> decode(ModelSpec spec, ModelInferResponse response,
      int batch) {
    List<ModelInferResponse.InferOutputTensor> outs = response.getOutputsList();
    boolean raw = response.getRawOutputContentsCount() > 0;
    if (raw && response.getRawOutputContentsCount() != outs.size()) {
      throw bad(spec, "raw_output_contents has " + response.getRawOutputContentsCount()
          + " entries for " + outs.size() + " outputs");
    }
    Map<String, FloatTensor> result = new LinkedHashMap<>();
    for (int i = 0; i < outs.size(); i++) {
      ModelInferResponse.InferOutputTensor o = outs.get(i);
      TensorSpec declared = spec.output(o.getName()).orElse(null);
      if (declared == null) {
        continue;
      }
      if (!FP32.equals(o.getDatatype())) {
        throw bad(spec, "output " + o.getName() + " is " + o.getDatatype() + ", expected FP32");
      }
      long[] shape = o.getShapeList().stream().mapToLong(Long::longValue).toArray();
      checkShape(spec, declared, shape, batch);
      float[] data = raw ? fromBytes(spec, o.getName(), response.getRawOutputContents(i))
          : toArray(o.getContents().getFp32ContentsList());
      if (data.length != FloatTensor.elementCount(shape)) {
        throw bad(spec, "output " + o.getName() + " has " + data.length + " values for shape "
            + Arrays.toString(shape));
      }
      result.put(o.getName(), new FloatTensor(shape, data));
    }
    for (TensorSpec out : spec.outputs()) {
      if (!result.containsKey(out.name())) {
        throw bad(spec, "no output " + out.name() + " in the answer");
      }
    }
    return result;
  }

  private static void checkShape(ModelSpec spec, TensorSpec declared, long[] shape, int batch) {
    long[] item = shape;
    if (spec.batched()) {
      if (shape.length == 0 || shape[0] != batch) {
        throw bad(spec, "output " + declared.name() + " has shape " + Arrays.toString(shape)
            + ", expected batch size " + batch + " in front");
      }
      item = Arrays.copyOfRange(shape, 1, shape.length);
    }
    if (!declared.accepts(item)) {
      throw bad(spec, "output " + declared.name() + " has shape " + Arrays.toString(shape)
          + ", declared dims " + declared.dims());
    }
  }

  /**
   * Little-endian FP32 bytes of {@code data}: one bulk conversion into a fresh array that is then
   * wrapped without a second copy (the array never escapes, so the ByteString stays immutable).
   */
  public static ByteString toBytes(float[] data) {
    byte[] bytes = new byte[Math.multiplyExact(data.length, Float.BYTES)];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(data);
    return UnsafeByteOperations.unsafeWrap(bytes);
  }

  private static float[] fromBytes(ModelSpec spec, String name, ByteString bytes) {
    if (bytes.size() % Float.BYTES != 0) {
      throw bad(spec, "raw output " + name + " has " + bytes.size() + " bytes, not whole FP32 values");
    }
    float[] out = new float[bytes.size() / Float.BYTES];
    bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }

  private static float[] toArray(List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  private static List<Long> asList(long[] shape) {
    return Arrays.stream(shape).boxed().toList();
  }

  private static BackendException bad(ModelSpec spec, String reason) {
    return new BackendException(BackendStatus.INTERNAL, "Triton answer for model " + spec.name()
        + " does not fit its config: " + reason);
  }
}
