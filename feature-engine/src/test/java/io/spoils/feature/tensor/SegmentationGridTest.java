package io.spoils.feature.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.image.PixelSpacing;
import org.junit.jupiter.api.Test;

class SegmentationGridTest {

  @Test
  void of_spiderSlice_contractSizes() {
    // 640 x 512 at 0.46875 mm: 375 x 300 at 0.8 mm, padded to 384 x 320
    SegmentationGrid g = SegmentationGrid.of(640, 512, new PixelSpacing(0.46875, 0.46875));
    assertEquals(new SegmentationGrid(640, 512, 375, 300, 384, 320), g);
    assertArrayEquals(new long[] {1, 384, 320}, g.inputShape());
    assertArrayEquals(new long[] {5, 384, 320}, g.outputShape());
  }

  @Test
  void resampledSpacing_spiderSlice_fieldOfViewKept() {
    // 640 x 512 at 0.46875 mm: 375 x 300 grid pixels of exactly 0.8 mm
    SegmentationGrid g = SegmentationGrid.of(640, 512, new PixelSpacing(0.46875, 0.46875));
    PixelSpacing s = g.resampledSpacing(new PixelSpacing(0.46875, 0.46875));
    assertEquals(0.8, s.rowMm(), 1e-12);
    assertEquals(0.8, s.colMm(), 1e-12);
  }

  @Test
  void of_coarserGrid_fewerPixelsSameRounding() {
    // 640 x 512 at 0.46875 mm on a 1.0 mm grid: 300 x 240, padded to 320 x 256
    SegmentationGrid g = SegmentationGrid.of(640, 512, new PixelSpacing(0.46875, 0.46875), 1.0);
    assertEquals(new SegmentationGrid(640, 512, 300, 240, 320, 256), g);
    assertEquals(SegmentationGrid.of(640, 512, new PixelSpacing(0.46875, 0.46875)),
        SegmentationGrid.of(640, 512, new PixelSpacing(0.46875, 0.46875), SegmentationGrid.MM));
    assertThrows(IllegalArgumentException.class,
        () -> SegmentationGrid.of(640, 512, new PixelSpacing(0.5, 0.5), 0));
  }

  @Test
  void of_halfUpRoundingAndExactMultiples() {
    // 512 x 0.44 / 0.8 = 281.6 -> 282; 620 x 0.5 / 0.8 = 387.5 -> 388 (half up); 64 x 0.8 / 0.8 = 64
    SegmentationGrid g = SegmentationGrid.of(620, 512, new PixelSpacing(0.5, 0.44));
    assertEquals(388, g.rows1());
    assertEquals(282, g.cols1());
    assertEquals(416, g.paddedRows());
    assertEquals(288, g.paddedCols());
    SegmentationGrid exact = SegmentationGrid.of(64, 128, new PixelSpacing(0.8, 0.8));
    assertEquals(new SegmentationGrid(64, 128, 64, 128, 64, 128), exact);
  }

  /**
   * Fields of view of 200 to 450 mm with pixels of 0.25 to 1.25 mm, portrait and landscape,
   * square and not: all accepted, and the grids nest as the contract says.
   */
  @Test
  void of_clinicalRange_accepted() {
    double[] fovs = {200, 260, 333.3, 400, 450};
    double[] pixels = {0.25, 0.3125, 0.46875, 0.7, 0.8, 0.9375, 1.25};
    for (double fovRows : fovs) {
      for (double fovCols : fovs) {
        for (double rowMm : pixels) {
          for (double colMm : pixels) {
            int rows0 = (int) Math.round(fovRows / rowMm);
            int cols0 = (int) Math.round(fovCols / colMm);
            SegmentationGrid g = SegmentationGrid.of(rows0, cols0, new PixelSpacing(rowMm, colMm));
            String at = rows0 + "x" + cols0 + " at " + rowMm + "x" + colMm;
            assertEquals(Math.floor(rows0 * rowMm / 0.8 + 0.5), g.rows1(), at);
            assertEquals(Math.floor(cols0 * colMm / 0.8 + 0.5), g.cols1(), at);
            assertEquals(0, g.paddedRows() % 32, at);
            assertEquals(0, g.paddedCols() % 32, at);
            assertTrue(g.paddedRows() - g.rows1() < 32 && g.paddedCols() - g.cols1() < 32, at);
            assertTrue(g.rows1() >= 240 && g.rows1() <= 573, at);
          }
        }
      }
    }
  }

  @Test
  void of_outsideTheRange_invalidInputNamingTheFieldOfView() {
    // 63 resampled rows (50.4 mm) and 1025 columns (820 mm) are out; 64 and 1024 are in
    SegmentationGrid.of(64, 1024, new PixelSpacing(0.8, 0.8));
    for (int[] size : new int[][] {{63, 200}, {200, 63}, {1025, 200}, {200, 1025}}) {
      var e = assertThrows(InvalidInputException.class,
          () -> SegmentationGrid.of(size[0], size[1], new PixelSpacing(0.8, 0.8)));
      assertTrue(e.getMessage().startsWith("field of view "), e.getMessage());
      assertTrue(e.getMessage().endsWith(" mm is outside the 51-819 mm the segmentation accepts"),
          e.getMessage());
    }
    var tiny = assertThrows(InvalidInputException.class,
        () -> SegmentationGrid.of(512, 512, new PixelSpacing(0.05, 0.05)));
    assertFalse(tiny.getMessage().contains("512"), tiny.getMessage());
    assertThrows(InvalidInputException.class,
        () -> SegmentationGrid.of(512, 512, new PixelSpacing(1e300, 1)));
    assertThrows(IllegalArgumentException.class,
        () -> SegmentationGrid.of(0, 512, new PixelSpacing(1, 1)));
  }
}
