import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs an exported ONNX model on a parity fixture's input with ONNX Runtime (Java) and compares the
 * output with the PyTorch reference, so an export is checked here without Python onnxruntime.
 *
 * <p>java -cp onnxruntime-1.22.0.jar OnnxParityCheck.java MODEL INPUT_NAME INPUT.f32 N,C,H,W
 * EXPECTED.f32 TOLERANCE. Exits 1 when any |onnx - torch| exceeds the tolerance. Each sample is also
 * run alone (batch 1) to check the dynamic batch axis.
 */
public class OnnxParityCheck {
  public static void main(String[] args) throws Exception {
    long[] shape = java.util.Arrays.stream(args[3].split(",")).mapToLong(Long::parseLong).toArray();
    float[] input = readF32(Path.of(args[2]));
    float[] expected = readF32(Path.of(args[4]));
    double tol = Double.parseDouble(args[5]);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(args[0], new OrtSession.SessionOptions())) {
      float[] batched = run(env, session, args[1], input, shape);
      int per = expected.length / (int) shape[0];
      int sampleSize = input.length / (int) shape[0];
      double worst = maxDiff(batched, expected, 0);
      for (int n = 0; n < shape[0]; n++) {
        float[] one = java.util.Arrays.copyOfRange(input, n * sampleSize, (n + 1) * sampleSize);
        long[] oneShape = shape.clone();
        oneShape[0] = 1;
        worst = Math.max(worst, maxDiff(run(env, session, args[1], one, oneShape), expected, n * per));
      }
      System.out.printf("max |onnxruntime - pytorch| = %.3g (tolerance %.3g)%n", worst, tol);
      if (!(worst <= tol)) {
        System.exit(1);
      }
    }
  }

  private static float[] run(OrtEnvironment env, OrtSession s, String name, float[] x, long[] shape)
      throws Exception {
    try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
        OrtSession.Result r = s.run(Map.of(name, t))) {
      FloatBuffer out = ((OnnxTensor) r.get(0)).getFloatBuffer();
      float[] a = new float[out.remaining()];
      out.get(a);
      return a;
    }
  }

  private static double maxDiff(float[] got, float[] expected, int offset) {
    double worst = 0;
    for (int i = 0; i < got.length; i++) {
      worst = Math.max(worst, Math.abs(got[i] - expected[offset + i]));
    }
    return worst;
  }

  private static float[] readF32(Path p) throws IOException {
    FloatBuffer fb = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    float[] a = new float[fb.remaining()];
    fb.get(a);
    return a;
  }
}
