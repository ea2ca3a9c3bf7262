package io.spoils.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.spoils.feature.geometry.DiscGeometry;
import io.spoils.feature.geometry.SpineMeasurer;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.ImageFiles;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelSpacing;
import io.spoils.feature.tensor.DiscCrop;
import io.spoils.feature.tensor.FloatTensor;
import io.spoils.feature.tensor.SegmentationInput;
import io.spoils.feature.tensor.SegmentationOutput;
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time of the gateway's tensor stages on one thread, measured with
 * {@code ThreadMXBean.getCurrentThreadCpuTime()} so that other work on a shared machine does not
 * count: preprocess ({@link SegmentationInput#prepare} and the batch of one), argmax (the batch
 * item and {@link SegmentationOutput#toSemanticMap}) and crops ({@link DiscCrop#extract} of every
 * disc and the batch), as {@code AnalysisPipeline} calls them. The cases are the bundled example
 * and every k-th SPIDER slice, with real logits of the segmentation model (ONNX Runtime, computed
 * once) and the discs the measurer finds on the resulting map. A checksum of all outputs is printed
 * so that two builds can be compared for identical results.
 *
 * <p>Run from the repository root, after {@code bin/bench -l} (which builds load-tests):
 * {@code java -cp "load-tests/target/classes:load-tests/target/lib/*" io.spoils.bench.TensorStagesCpu
 * [spiderDir] [slices] [rounds]}.
 */
public final class TensorStagesCpu {

  private static final PixelSpacing SPACING = new PixelSpacing(0.46875, 0.46875);
  private static final String[] STAGES = {"preprocess", "argmax", "crops"};

  private record Case(GreyImage image, FloatTensor logits, double[] centroids) {
  }

  private final com.sun.management.ThreadMXBean mx =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private final long[] allocated = new long[STAGES.length];
  private long calls;
  private long cropCalls;
  private long checksum;

  private TensorStagesCpu() {
  }

  public static void main(String[] args) throws Exception {
    Path spider = Path.of(args.length > 0 ? args[0] : "../shared/data/spider-t2space");
    int slices = args.length > 1 ? Integer.parseInt(args[1]) : 24;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    List<Case> cases = cases(images(spider, slices));
    TensorStagesCpu bench = new TensorStagesCpu();
    bench.round(cases);
    long checksum = bench.checksum;
    for (int i = 0; i < 10; i++) {
      bench.round(cases);
    }
    System.out.printf("cases %d, checksum of the outputs %016x%n", cases.size(), checksum);
    System.out.println("round  preprocess  argmax  crops   (CPU ms per call)");
    double[][] all = new double[rounds][];
    for (int r = 0; r < rounds; r++) {
      all[r] = bench.round(cases);
      System.out.printf("%5d  %10.3f  %6.3f  %5.3f%n", r, all[r][0], all[r][1], all[r][2]);
    }
    for (int s = 0; s < STAGES.length; s++) {
      final int k = s;
      double[] v = Arrays.stream(all).mapToDouble(a -> a[k]).sorted().toArray();
      System.out.printf("%-10s median %.3f ms, min %.3f, max %.3f%n", STAGES[s], v[v.length / 2],
          v[0], v[v.length - 1]);
    }
    System.out.printf("allocated per call: preprocess %d kB, argmax %d kB, crops %d kB%n",
        bench.allocated[0] / bench.calls / 1024, bench.allocated[1] / bench.calls / 1024,
        bench.allocated[2] / Math.max(1, bench.cropCalls) / 1024);
  }

  /** The bundled example and every k-th SPIDER image (sorted by name). */
  private static List<GreyImage> images(Path spider, int slices) throws Exception {
    List<GreyImage> out = new ArrayList<>();
    out.add(ImageFiles.readGrey(Path.of("gateway/examples/spider/image.png"), SPACING));
    Path dir = spider.resolve("images");
    if (slices > 0 && Files.isDirectory(dir)) {
      List<Path> files;
      try (Stream<Path> s = Files.list(dir)) {
        files = s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
      }
      int step = Math.max(1, files.size() / slices);
      for (int i = 0; i < files.size() && out.size() <= slices; i += step) {
        out.add(ImageFiles.readGrey(files.get(i), SPACING));
      }
    }
    return out;
  }

  /** The served segmentation model: its newest version folder, as the gateway loads by default. */
  static String segmentationModel() {
    return io.spoils.gateway.testing.RealModels.onnx(Path.of("triton-models"),
        "spine_segmentation").orElseThrow(() -> new IllegalStateException(
            "no triton-models/spine_segmentation/N/model.onnx (run from the repository root)"))
        .toString();
  }

  /** Real logits per image (ONNX Runtime, one thread) and the centroids of the discs found. */
  private static List<Case> cases(List<GreyImage> images) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    List<Case> out = new ArrayList<>();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      try (OrtSession session = env.createSession(segmentationModel(), options)) {
        SpineMeasurer measurer = SpineMeasurer.standard();
        for (GreyImage image : images) {
          FloatTensor logits = infer(env, session, image);
          LabelMap map = SegmentationOutput.toSemanticMap(logits.batchItem(0), image.height(),
              image.width(), image.spacing());
          out.add(new Case(image, logits, centroids(measurer, map, image)));
        }
      }
    }
    return out;
  }

  /** The segmentation model's logits {@code [1, 5, Hp, Wp]} for one whole slice. */
  static FloatTensor infer(OrtEnvironment env, OrtSession session, GreyImage image)
      throws OrtException {
    FloatTensor input = FloatTensor.stack(List.of(SegmentationInput.prepare(image)));
    try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(input.data()),
            input.shape());
        OrtSession.Result result = session.run(java.util.Map.of(SegmentationInput.INPUT_NAME, in))) {
      OnnxTensor out = (OnnxTensor) result.get(0);
      FloatBuffer buffer = out.getFloatBuffer();
      float[] data = new float[buffer.remaining()];
      buffer.get(data);
      return new FloatTensor(out.getInfo().getShape(), data);
    }
  }

  private static double[] centroids(SpineMeasurer measurer, LabelMap map, GreyImage image) {
    try {
      List<DiscGeometry> discs = measurer.measure(map, image).discs();
      double[] xy = new double[2 * discs.size()];
      for (int i = 0; i < discs.size(); i++) {
        xy[2 * i] = discs.get(i).centroidX();
        xy[2 * i + 1] = discs.get(i).centroidY();
      }
      return xy;
    } catch (RuntimeException e) {
      return new double[0];
    }
  }

  /** One pass over all cases: mean CPU ms per call of each stage. */
  private double[] round(List<Case> cases) {
    long[] ns = new long[STAGES.length];
    int withDiscs = 0;
    for (Case c : cases) {
      long b0 = mx.getCurrentThreadAllocatedBytes();
      long t0 = mx.getCurrentThreadCpuTime();
      FloatTensor input = FloatTensor.stack(List.of(SegmentationInput.prepare(c.image())));
      long t1 = mx.getCurrentThreadCpuTime();
      long b1 = mx.getCurrentThreadAllocatedBytes();
      LabelMap map = SegmentationOutput.toSemanticMap(c.logits().batchItem(0), c.image().height(),
          c.image().width(), c.image().spacing());
      long t2 = mx.getCurrentThreadCpuTime();
      long b2 = mx.getCurrentThreadAllocatedBytes();
      ns[0] += t1 - t0;
      ns[1] += t2 - t1;
      allocated[0] += b1 - b0;
      allocated[1] += b2 - b1;
      calls++;
      mix(Arrays.hashCode(input.data()));
      mix(Arrays.hashCode(map.labels()));
      if (c.centroids().length > 0) {
        ns[2] += timedCrops(c);
        withDiscs++;
      }
    }
    return new double[] {ns[0] / 1e6 / cases.size(), ns[1] / 1e6 / cases.size(),
        ns[2] / 1e6 / Math.max(1, withDiscs)};
  }

  /** CPU nanoseconds of the crops of one case. */
  private long timedCrops(Case c) {
    long b0 = mx.getCurrentThreadAllocatedBytes();
    long t0 = mx.getCurrentThreadCpuTime();
    FloatTensor batch = crops(c);
    long t1 = mx.getCurrentThreadCpuTime();
    allocated[2] += mx.getCurrentThreadAllocatedBytes() - b0;
    cropCalls++;
    mix(Arrays.hashCode(batch.data()));
    return t1 - t0;
  }

  private static FloatTensor crops(Case c) {
    List<FloatTensor> crops = new ArrayList<>();
    for (int i = 0; i < c.centroids().length; i += 2) {
      crops.add(DiscCrop.extract(c.image(), c.centroids()[i], c.centroids()[i + 1]));
    }
    return FloatTensor.stack(crops);
  }

  private void mix(int hash) {
    checksum = checksum * 0x9E3779B97F4A7C15L + hash;
  }
}
