package io.spoils.bench;

import io.spoils.feature.geometry.DiscGeometry;
import io.spoils.feature.geometry.SpineGeometry;
import io.spoils.feature.geometry.SpineMeasurer;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.ImageFiles;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelSpacing;
import io.spoils.feature.trees.TreeGrade;
import io.spoils.feature.trees.XgbTreeGrader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The feature engine's in-process stages on one real 512x640 SPIDER slice: level labelling plus
 * geometry (with and without the image's signal features), and one boosted-tree inference for six
 * discs (one batched call). The example slice is the bundled one (gateway/examples/spider), so the
 * benchmark needs no external data.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FeatureEngineBenchmark {

  /** Folder holding mask.png and image.png of a SPIDER slice (512 x 640, 0.46875 mm). */
  @Param({"gateway/examples/spider"})
  public String example;

  private LabelMap mask;
  private GreyImage image;
  private SpineMeasurer measurer;
  private XgbTreeGrader trees;
  private List<DiscGeometry> sixDiscs;

  @Setup(Level.Trial)
  public void setUp() {
    Path dir = Path.of(example);
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("run from the repository root: " + dir + " not found");
    }
    PixelSpacing spacing = new PixelSpacing(0.46875, 0.46875);
    mask = ImageFiles.readMask(dir.resolve("mask.png"), spacing);
    image = ImageFiles.readGrey(dir.resolve("image.png"), spacing);
    measurer = SpineMeasurer.standard();
    trees = XgbTreeGrader.loadDefault();
    List<DiscGeometry> discs = measurer.measure(mask, image).discs();
    if (discs.isEmpty()) {
      throw new IllegalStateException("the example has no disc");
    }
    // six discs, as in a typical study (T12-L1 .. L5-S1); repeat the measured ones if fewer
    sixDiscs = java.util.stream.IntStream.range(0, 6).mapToObj(i -> discs.get(i % discs.size()))
        .toList();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    trees.close();
  }

  @Benchmark
  public SpineGeometry levelsAndGeometry_maskOnly() {
    return measurer.measure(mask, null);
  }

  @Benchmark
  public SpineGeometry levelsAndGeometry_withSignal() {
    return measurer.measure(mask, image);
  }

  @Benchmark
  public List<TreeGrade> trees_sixDiscs() {
    return trees.gradeAll(sixDiscs);
  }
}
