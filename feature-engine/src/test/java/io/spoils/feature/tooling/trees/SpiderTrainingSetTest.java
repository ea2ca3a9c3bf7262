package io.spoils.feature.tooling.trees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.anatomy.DiscLevel;
import io.spoils.feature.decision.DiscClass;
import io.spoils.feature.geometry.DiscGeometry;
import io.spoils.feature.geometry.SpineGeometry;
import io.spoils.feature.geometry.SpineMeasurer;
import io.spoils.feature.image.ImageFiles;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.levels.SpineLevels;
import io.spoils.feature.image.PixelSpacing;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Matching of measured to graded discs, with a measurer that returns a known number of discs whose
 * central height encodes their index from the bottom.
 */
class SpiderTrainingSetTest {
  private static final String GRADINGS_HEADER = "patient,ivd_label,modic,upper_endplate,"
      + "lower_endplate,spondylolisthesis,herniation,narrowing,bulging,pfirrmann\n";

  /** Patient 1: labels 1-3, 4 discs measured. Patient 2 (transitional): labels 0-2, 3 measured. */
  private static Path dataDir(Path dir) throws Exception {
    Files.createDirectories(dir.resolve("masks"));
    Files.createDirectories(dir.resolve("images"));
    Files.writeString(dir.resolve("slices.csv"),
        "patient,slice,is_center\n1,49,0\n1,50,1\n2,60,1\n");
    Files.writeString(dir.resolve("series.csv"),
        "patient,pixel_spacing_row_mm,pixel_spacing_col_mm\n1,0.5,0.5\n2,0.5,0.5\n");
    Files.writeString(dir.resolve("gradings.csv"), GRADINGS_HEADER
        + "1,1,2,1,1,0,1,1,1,5\n" // score 5 -> 5H
        + "1,2,0,0,0,0,0,0,0,2\n" // 2L
        + "1,3,0,1,1,0,0,0,0,3\n" // score 2 -> 3M
        + "2,0,0,0,0,0,0,0,0,1\n" // 1L, the extra lowest disc
        + "2,1,0,0,0,0,0,1,0,4\n" // score 1 -> 4L
        + "2,2,0,0,0,0,0,0,0,3\n" // 3L
        + "2,5,0,0,0,0,0,0,0,3\n"); // no measured disc at this height
    for (String file : List.of("001_slice50.png", "002_slice60.png")) {
      byte[] labels = new byte[16];
      labels[file.startsWith("001") ? 5 : 6] = 29; // tells the two patients' masks apart
      ImageFiles.writeMask(new LabelMap(4, 4, labels, new PixelSpacing(0.5, 0.5),
          LabelMap.Scheme.SPIDER), dir.resolve("masks").resolve(file));
      ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY), "png",
          dir.resolve("images").resolve(file).toFile());
    }
    return dir;
  }

  /** Patient 1's mask (disc at 1,1) gets 4 discs, patient 2's 3; disc i has height 10 + i. */
  private static final SpineMeasurer COUNTING = new SpineMeasurer() {
    @Override
    public SpineGeometry measure(LabelMap mask, GreyImage image) {
      int n = mask.get(1, 1) == 29 ? 4 : 3;
      List<DiscGeometry> discs = new ArrayList<>();
      for (int i = n - 1; i >= 0; i--) { // deliberately top-down: the loader must sort
        discs.add(new DiscGeometry(DiscLevel.fromBottom(i), i, 0, 0, 0, 1, 10 + i, 1, 1, 1, 1, 1,
            0.4, 100, 0.5, 1.2, 0.0, 12, Double.NaN));
      }
      return new SpineGeometry(discs, List.of(), List.of());
    }

    @Override
    public SpineLevels label(LabelMap mask) {
      throw new UnsupportedOperationException("the loader measures masks in one call");
    }

    @Override
    public SpineGeometry measure(SpineLevels levels, GreyImage image) {
      throw new UnsupportedOperationException("the loader measures masks in one call");
    }
  };

  @Test
  void load_matchesByIvdLabelWithTransitionalAnatomy(@TempDir Path tmp) throws Exception {
    SpiderTrainingSet set = SpiderTrainingSet.load(dataDir(tmp), COUNTING);
    List<TrainingSample> s = set.samples();
    assertEquals(6, s.size());
    // patient 1: label 1 -> lowest disc (index 0)
    assertEquals(List.of(DiscClass.P5H, DiscClass.P2L, DiscClass.P3M),
        s.subList(0, 3).stream().map(TrainingSample::label).toList());
    assertEquals(List.of(10.0, 11.0, 12.0),
        s.subList(0, 3).stream().map(t -> t.geometry().centralHeightMm()).toList());
    // patient 2: label 0 -> lowest disc
    assertEquals(List.of(DiscClass.P1L, DiscClass.P4L, DiscClass.P3L),
        s.subList(3, 6).stream().map(TrainingSample::label).toList());
    assertEquals(List.of(10.0, 11.0, 12.0),
        s.subList(3, 6).stream().map(t -> t.geometry().centralHeightMm()).toList());
    SpiderTrainingSet.Summary summary = set.summary();
    assertEquals(2, summary.patients());
    assertEquals(7, summary.gradedDiscs());
    assertEquals(6, summary.matchedDiscs());
    assertEquals(1, summary.classCounts().get("5H"));
    assertEquals(0, summary.classCounts().get("5M"));
    assertTrue(summary.notes().get(0).contains("without a measured disc"), summary.notes()
        .toString());
  }

  @Test
  void load_missingDirectoryOrFiles(@TempDir Path tmp) throws Exception {
    assertThrows(InvalidInputException.class,
        () -> SpiderTrainingSet.load(tmp.resolve("none"), COUNTING));
    assertThrows(InvalidInputException.class, () -> SpiderTrainingSet.load(tmp, COUNTING));
    dataDir(tmp);
    Files.delete(tmp.resolve("series.csv"));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> SpiderTrainingSet.load(tmp, COUNTING));
    assertTrue(e.getMessage().contains("series.csv"));
  }
}
