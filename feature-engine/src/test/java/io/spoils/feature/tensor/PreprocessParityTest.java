package io.spoils.feature.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelSpacing;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Java pre- and post-processing against the Python training code (fixtures written by
 * {@code src/test/resources/parity/preprocess/generate.py}; see the README there). Acceptance:
 * equal within 1e-5; the resizes are bit-for-bit.
 */
class PreprocessParityTest {

  private static final String DIR = "/parity/preprocess/";
  private static final double TOLERANCE = 1e-5;
  private static final PixelSpacing SPIDER_SPACING = new PixelSpacing(0.46875, 0.46875);

  private static JsonNode files;
  private static GreyImage region;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = resource("fixtures.json")) {
      files = new ObjectMapper().readTree(in).get("files");
    }
    try (InputStream in = resource("region.png")) {
      BufferedImage png = ImageIO.read(in);
      Raster raster = png.getRaster();
      float[] pixels = new float[png.getWidth() * png.getHeight()];
      for (int y = 0; y < png.getHeight(); y++) {
        for (int x = 0; x < png.getWidth(); x++) {
          pixels[y * png.getWidth() + x] = raster.getSample(x, y, 0);
        }
      }
      region = new GreyImage(png.getWidth(), png.getHeight(), pixels, SPIDER_SPACING);
    }
  }

  @Test
  void segmentationInput_realSliceNonSquareSpacingMatchesPython() {
    FloatTensor expected = floats("seg_input.f32");
    JsonNode meta = files.get("seg_input.f32");
    GreyImage image = new GreyImage(region.width(), region.height(), region.pixels(),
        new PixelSpacing(meta.get("rowMm").asDouble(), meta.get("colMm").asDouble()));
    SegmentationGrid grid = SegmentationGrid.of(image.height(), image.width(), image.spacing());
    assertEquals(meta.get("resampled").get(0).asInt(), grid.rows1());
    assertEquals(meta.get("resampled").get(1).asInt(), grid.cols1());
    FloatTensor actual = SegmentationInput.prepare(image);
    assertArrayEquals(expected.shape(), actual.shape());
    assertClose(expected.data(), actual.data(), "seg_input.f32");
  }

  @TestFactory
  List<DynamicTest> discCrop_realDiscsMatchPython() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (!entry.getKey().startsWith("crop_")) {
        continue;
      }
      JsonNode meta = entry.getValue();
      tests.add(DynamicTest.dynamicTest(entry.getKey(), () -> {
        GreyImage image = new GreyImage(region.width(), region.height(), region.pixels(),
            new PixelSpacing(meta.get("rowMm").asDouble(), meta.get("colMm").asDouble()));
        FloatTensor actual = DiscCrop.extract(image, meta.get("cx").asDouble(), meta.get("cy").asDouble());
        assertClose(floats(entry.getKey()).data(), actual.data(), entry.getKey());
      }));
    }
    assertTrue(tests.size() >= 4, "expected at least 4 crop fixtures, found " + tests.size());
    return tests;
  }

  @Test
  void bilinearResize_bitForBitWithTorch() {
    FloatTensor in = floats("resize_in.f32");
    for (String name : List.of("resize_11x17.f32", "resize_53x67.f32", "resize_29x41.f32")) {
      FloatTensor expected = floats(name);
      FloatTensor actual = BilinearResize.resize(in, (int) expected.dim(0), (int) expected.dim(1));
      assertArrayEquals(expected.data(), actual.data(), name);
    }
  }

  @Test
  void segmentationOutput_croppedLogitsMatchTorchArgmax() {
    FloatTensor logits = floats("logits.f32");
    JsonNode crop = files.get("logits.f32").get("resampled");
    JsonNode meta = files.get("semantic_77x61.u8");
    int rows = meta.get("shape").get(0).asInt();
    int cols = meta.get("shape").get(1).asInt();
    SegmentationGrid grid = new SegmentationGrid(rows, cols, crop.get(0).asInt(), crop.get(1).asInt(),
        (int) logits.dim(1), (int) logits.dim(2));
    LabelMap map = SegmentationOutput.toSemanticMap(logits, grid, SPIDER_SPACING);
    assertArrayEquals(bytes("semantic_77x61.u8"), map.labels());
  }

  private static void assertClose(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what + " length");
    double worst = 0;
    int at = -1;
    for (int i = 0; i < expected.length; i++) {
      double d = Math.abs((double) expected[i] - actual[i]);
      if (!(d <= worst)) {
        worst = d;
        at = i;
      }
    }
    assertTrue(worst <= TOLERANCE, what + ": largest difference " + worst + " at " + at);
  }

  private static FloatTensor floats(String name) {
    JsonNode shapeNode = files.get(name).get("shape");
    long[] shape = new long[shapeNode.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = shapeNode.get(i).asLong();
    }
    return FloatTensor.fromLittleEndianBytes(bytes(name), shape);
  }

  private static byte[] bytes(String name) {
    try (InputStream in = resource(name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream resource(String name) {
    InputStream in = PreprocessParityTest.class.getResourceAsStream(DIR + name);
    if (in == null) {
      throw new IllegalStateException("missing test resource " + DIR + name);
    }
    return in;
  }
}
