package io.spoils.bench;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.spoils.feature.geometry.SliceAnatomy;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.ImageFiles;
import io.spoils.feature.image.PixelBox;
import io.spoils.feature.image.PixelSpacing;
import io.spoils.feature.tensor.FloatTensor;
import io.spoils.feature.tensor.SegmentationGrid;
import io.spoils.feature.tensor.SegmentationOutput;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Locale;

/**
 * CPU time on one thread of reading a series' outer slice for its anatomy ({@link SliceAnatomy}:
 * canal area and disc pieces), two ways, on real logits of the served segmentation model: at the
 * slice's own pixels ({@link SegmentationOutput#toSemanticMap}, bilinear resize and argmax), as
 * the gateway did before, and on the model's 0.8 mm grid ({@link SegmentationOutput#toGridMap},
 * argmax only, {@link SliceAnatomy#ofPart}), as {@code SeriesSegmenter}
 * does now. The bundled example is read at its own 0.47 mm pixels and, to show how the pixel size
 * matters, resampled (nearest neighbour) to the same field of view in 0.3 mm and 1.0 mm pixels.
 * Prints the least CPU time of each way over the timed rounds (the first third of the rounds,
 * over every case, only warm the JIT up) and both anatomies' canal area
 * and disc count (they should agree).
 *
 * <p>Run from the repository root, after {@code bin/bench -l}: {@code java -cp
 * "load-tests/target/classes:load-tests/target/lib/*" io.spoils.bench.OuterSliceAnatomyCpu
 * [repetitions]}.
 */
public final class OuterSliceAnatomyCpu {

  private static final double EXAMPLE_MM = 0.46875;

  private OuterSliceAnatomyCpu() {
  }

  public static void main(String[] args) throws Exception {
    int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 150;
    GreyImage example = ImageFiles.readGrey(Path.of("gateway/examples/spider/image.png"),
        new PixelSpacing(EXAMPLE_MM, EXAMPLE_MM));
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    double[] sizes = {0.3, EXAMPLE_MM, 1.0};
    GreyImage[] slices = new GreyImage[sizes.length];
    FloatTensor[] logits = new FloatTensor[sizes.length];
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      try (OrtSession session = env.createSession(TensorStagesCpu.segmentationModel(), options)) {
        for (int k = 0; k < sizes.length; k++) {
          slices[k] = sizes[k] == EXAMPLE_MM ? example : resampled(example, sizes[k]);
          logits[k] = TensorStagesCpu.infer(env, session, slices[k]).batchItem(0);
        }
      }
    }
    long[][] best = new long[sizes.length][];
    SliceAnatomy[][] read = new SliceAnatomy[sizes.length][];
    for (int k = 0; k < sizes.length; k++) {
      best[k] = new long[] {Long.MAX_VALUE, Long.MAX_VALUE};
    }
    // the first third of the rounds warms the JIT up on every case, the rest are timed
    for (int r = 0; r < repetitions; r++) {
      for (int k = 0; k < sizes.length; k++) {
        GreyImage slice = slices[k];
        SegmentationGrid grid = SegmentationGrid.of(slice.height(), slice.width(),
            slice.spacing());
        long t0 = mx.getCurrentThreadCpuTime();
        SliceAnatomy onImage = SliceAnatomy.of(SegmentationOutput.toSemanticMap(logits[k], grid,
            slice.spacing()));
        long t1 = mx.getCurrentThreadCpuTime();
        SliceAnatomy onModel = SliceAnatomy.ofPart(SegmentationOutput.toGridMap(logits[k], grid,
            slice.spacing()), PixelBox.whole(slice.width(), slice.height()), slice.spacing());
        long t2 = mx.getCurrentThreadCpuTime();
        if (r >= repetitions / 3) {
          best[k][0] = Math.min(best[k][0], t1 - t0);
          best[k][1] = Math.min(best[k][1], t2 - t1);
        }
        read[k] = new SliceAnatomy[] {onImage, onModel};
      }
    }
    System.out.println("slice pixels        image grid ms  model grid ms  canal mm2 (image/model)"
        + "  disc pieces");
    for (int k = 0; k < sizes.length; k++) {
      System.out.printf(Locale.ROOT, "%4dx%-4d %.2f mm  %13.2f  %13.2f  %8.0f / %-8.0f  %d / %d%n",
          slices[k].width(), slices[k].height(), sizes[k], best[k][0] / 1e6, best[k][1] / 1e6,
          read[k][0].canalAreaMm2(), read[k][1].canalAreaMm2(), read[k][0].discs().size(),
          read[k][1].discs().size());
    }
  }

  /** The same field of view in pixels of {@code mm} (nearest neighbour). */
  private static GreyImage resampled(GreyImage image, double mm) {
    int w = (int) Math.round(image.width() * EXAMPLE_MM / mm);
    int h = (int) Math.round(image.height() * EXAMPLE_MM / mm);
    float[] pixels = new float[w * h];
    for (int y = 0; y < h; y++) {
      int sy = Math.min(image.height() - 1, (int) ((y + 0.5) * mm / EXAMPLE_MM));
      for (int x = 0; x < w; x++) {
        int sx = Math.min(image.width() - 1, (int) ((x + 0.5) * mm / EXAMPLE_MM));
        pixels[y * w + x] = image.pixels()[sy * image.width() + sx];
      }
    }
    return new GreyImage(w, h, pixels, new PixelSpacing(mm, mm));
  }
}
