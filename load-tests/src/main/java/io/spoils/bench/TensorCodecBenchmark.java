package io.spoils.bench;

import com.google.protobuf.ByteString;
import io.spoils.feature.tensor.FloatTensor;
import io.spoils.gateway.backend.Deadline;
import io.spoils.gateway.backend.InferRequest;
import io.spoils.gateway.backend.ModelSpec;
import io.spoils.gateway.backend.TensorSpec;
import io.spoils.gateway.backend.triton.TritonCodec;
import io.spoils.proto.inference.DataType;
import io.spoils.proto.inference.ModelInferRequest;
import io.spoils.proto.inference.ModelInferResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * KServe v2 tensor encoding against a plain memory copy of the same bytes: one 512x512x3 FP32
 * tensor (3 MiB) into {@code raw_input_contents} ({@link TritonCodec#encode}) and back from
 * {@code raw_output_contents} to a {@code float[]} ({@link TritonCodec#decode}). The baselines copy
 * the same 3 MiB into a fresh array ({@code System.arraycopy}) and into a fresh heap
 * {@link ByteBuffer} ({@code put}); the codec has to allocate its result too, so that is the fair
 * floor. {@code bin/perf-report} reports codec / copy ratios from one run.
 *
 * <p>Run from the repository root: {@code bin/bench -f 1 -wi 3 -i 5 TensorCodecBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TensorCodecBenchmark {

  /** Elements of one 512x512x3 tensor. */
  static final int ELEMENTS = 512 * 512 * 3;

  private static final ModelSpec SPEC = new ModelSpec("m", 1, "onnxruntime_onnx", 1,
      List.of(new TensorSpec("x", DataType.TYPE_FP32, List.of(512L, 512L, 3L))),
      List.of(new TensorSpec("y", DataType.TYPE_FP32, List.of(512L, 512L, 3L))),
      Path.of("model.onnx"));

  private float[] values;
  private byte[] bytes;
  private InferRequest request;
  private ModelInferResponse response;

  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom random = new SplittableRandom(7);
    values = new float[ELEMENTS];
    for (int i = 0; i < ELEMENTS; i++) {
      values[i] = (float) random.nextGaussian();
    }
    FloatTensor tensor = FloatTensor.of(values, 1, 512, 512, 3);
    bytes = tensor.toLittleEndianBytes();
    request = InferRequest.of("m", Map.of("x", tensor), Deadline.after(Duration.ofHours(1)));
    response = ModelInferResponse.newBuilder().setModelName("m").setModelVersion("1")
        .addOutputs(ModelInferResponse.InferOutputTensor.newBuilder().setName("y")
            .setDatatype(TritonCodec.FP32).addShape(1).addShape(512).addShape(512).addShape(3))
        .addRawOutputContents(ByteString.copyFrom(bytes)).build();
  }

  /** Baseline: the 3 MiB copied into a fresh byte array. */
  @Benchmark
  public byte[] copy_arraycopy() {
    byte[] out = new byte[bytes.length];
    System.arraycopy(bytes, 0, out, 0, bytes.length);
    return out;
  }

  /** Baseline: the 3 MiB put into a fresh heap ByteBuffer. */
  @Benchmark
  public ByteBuffer copy_byteBufferPut() {
    return ByteBuffer.allocate(bytes.length).put(bytes, 0, bytes.length);
  }

  /** float[] to a ModelInferRequest with the tensor in raw_input_contents. */
  @Benchmark
  public ModelInferRequest encode() {
    return TritonCodec.encode(SPEC, request);
  }

  /** raw_output_contents of a ModelInferResponse to the checked float tensor. */
  @Benchmark
  public FloatTensor decode() {
    return TritonCodec.decode(SPEC, response, 1).get("y");
  }
}
