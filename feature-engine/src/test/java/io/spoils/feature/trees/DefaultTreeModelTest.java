package io.spoils.feature.trees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.decision.DiscClass;
import io.spoils.feature.geometry.DiscGeometry;
import io.spoils.feature.geometry.SpineGeometry;
import io.spoils.feature.geometry.SpineMeasurer;
import io.spoils.feature.image.ImageFiles;
import io.spoils.feature.image.PixelSpacing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The committed default model grades the discs of a real SPIDER centre slice. */
class DefaultTreeModelTest {

  @Test
  void loadDefault_contract() {
    try (XgbTreeGrader grader = XgbTreeGrader.loadDefault()) {
      assertEquals(DiscFeatures.NAMES, grader.info().featureNames());
      assertEquals(DiscClass.labels(), grader.info().classOrder());
      assertEquals("disc-grading-trees", grader.info().name());
    }
  }

  @Test
  void gradeAll_realCentreSlice() {
    String data = System.getProperty("spoils.data.spider", "");
    Assumptions.assumeTrue(!data.isBlank() && Files.isDirectory(Path.of(data)),
        "SPIDER data not available (system property spoils.data.spider): skipping");
    // patient 5, centre slice 59 of slices.csv (is_center=1); 0.46875 mm pixels per series.csv
    Path dir = Path.of(data);
    String file = centreSliceFile(dir);
    PixelSpacing spacing = new PixelSpacing(0.46875, 0.46875);
    SpineGeometry geometry = SpineMeasurer.standard().measure(
        ImageFiles.readMask(dir.resolve("masks").resolve(file), spacing),
        ImageFiles.readGrey(dir.resolve("images").resolve(file), spacing));
    assertFalse(geometry.discs().isEmpty());
    try (XgbTreeGrader grader = XgbTreeGrader.loadDefault()) {
      List<DiscGeometry> complete = geometry.discs().stream().filter(DiscFeatures::complete)
          .toList();
      assertFalse(complete.isEmpty(), "some disc of a real centre slice is fully measured");
      List<TreeGrade> grades = grader.gradeAll(complete);
      assertEquals(complete.size(), grades.size());
      for (TreeGrade g : grades) {
        assertEquals(11, g.probabilities().length);
        assertEquals(1.0, Arrays.stream(g.probabilities()).sum(), 1e-9);
        double sum = g.bias() + g.contributions().values().stream().mapToDouble(d -> d).sum();
        assertEquals(g.margin(), sum, 1e-3);
        assertTrue(g.confidence() >= 1.0 / 11);
      }
    }
  }

  private static String centreSliceFile(Path dir) {
    try {
      for (String line : Files.readAllLines(dir.resolve("slices.csv"))) {
        String[] f = line.strip().split(",");
        if (f.length == 3 && f[2].equals("1")) {
          return String.format("%03d_slice%d.png", Integer.parseInt(f[0]),
              Integer.parseInt(f[1]));
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    throw new IllegalStateException("no centre slice in slices.csv");
  }
}
