package io.spoils.bench;

import io.spoils.feature.geometry.GeometryOptions;
import io.spoils.feature.image.ImageFiles;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelSpacing;
import io.spoils.feature.levels.LevelLabeller;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Single-thread CPU cost of level labelling ({@link LevelLabeller#label}) on SPIDER masks, in CPU
 * time of the calling thread rather than wall time, so that other work on a shared machine barely
 * moves it. Each round labels every selected mask once; the harness prints, per round, the CPU ms
 * and the bytes allocated per call (allocation costs CPU on the collector's threads, which the
 * thread's CPU time does not show), then the median and the minimum over the rounds.
 *
 * <p>Usage: {@code java -cp ... io.spoils.bench.LevelsCpuHarness SPIDER_DIR [ROUNDS [centre|all]]};
 * defaults 15 rounds over the 31 centre slices (the bundled example is one of them). The options
 * are {@link GeometryOptions#defaults()}, as in the pipeline.
 */
public final class LevelsCpuHarness {
  private static final PixelSpacing SPACING = new PixelSpacing(0.46875, 0.46875);
  private static final int WARMUP_ROUNDS = 10;

  private LevelsCpuHarness() {
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: LevelsCpuHarness SPIDER_DIR [ROUNDS [centre|all]]");
      System.exit(2);
    }
    Path root = Path.of(args[0]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    boolean all = args.length > 2 && "all".equals(args[2]);
    List<LabelMap> masks = masks(root, all);
    GeometryOptions o = GeometryOptions.defaults();
    LevelLabeller labeller = new LevelLabeller(o.minComponentAreaMm2(), o.posteriorMarginMm(),
        o.canalSearchMm());
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (int i = 0; i < WARMUP_ROUNDS; i++) {
      round(labeller, masks);
    }
    double[] ms = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      long bytes0 = threads.getCurrentThreadAllocatedBytes();
      long cpu0 = threads.getCurrentThreadCpuTime();
      int discs = round(labeller, masks);
      long cpu = threads.getCurrentThreadCpuTime() - cpu0;
      long bytes = threads.getCurrentThreadAllocatedBytes() - bytes0;
      ms[r] = cpu / 1e6 / masks.size();
      System.out.printf("round %2d: %.3f ms CPU/call, %.0f KiB allocated/call (%d discs)%n", r,
          ms[r], bytes / 1024.0 / masks.size(), discs);
    }
    Arrays.sort(ms);
    System.out.printf("levels on %d masks: median %.3f ms, min %.3f ms CPU per call%n",
        masks.size(), ms[rounds / 2], ms[0]);
  }

  private static int round(LevelLabeller labeller, List<LabelMap> masks) {
    int discs = 0;
    for (LabelMap m : masks) {
      discs += labeller.label(m).discs().size();
    }
    return discs;
  }

  private static List<LabelMap> masks(Path root, boolean all) throws IOException {
    List<LabelMap> out = new ArrayList<>();
    List<String> lines = Files.readAllLines(root.resolve("slices.csv"));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      if (!all && !"1".equals(f[2].trim())) {
        continue;
      }
      String name = String.format("%03d_slice%02d.png", Integer.parseInt(f[0]),
          Integer.parseInt(f[1]));
      out.add(ImageFiles.readMask(root.resolve("masks").resolve(name), SPACING));
    }
    return out;
  }
}
