package io.spoils.gateway.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.PixelSpacing;
import io.spoils.feature.tensor.FloatTensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;

/** Reads the model helpers' parity fixtures under {@code src/test/resources/parity/<model>/}. */
final class ParityFixtures {

  private final String dir;

  ParityFixtures(String model) {
    this.dir = "/parity/" + model + "/";
  }

  /** The parsed {@code fixture.json}, or null while the fixtures are absent. */
  JsonNode meta() throws IOException {
    InputStream in = ParityFixtures.class.getResourceAsStream(dir + "fixture.json");
    if (in == null) {
      return null;
    }
    try (in) {
      return new ObjectMapper().readTree(in);
    }
  }

  /** A grey PNG (8 or 16 bit), each sample read as a float. */
  GreyImage image(String name, PixelSpacing spacing) throws IOException {
    try (InputStream in = resource(name)) {
      BufferedImage png = javax.imageio.ImageIO.read(in);
      float[] pixels = new float[png.getWidth() * png.getHeight()];
      for (int y = 0; y < png.getHeight(); y++) {
        for (int x = 0; x < png.getWidth(); x++) {
          pixels[y * png.getWidth() + x] = png.getRaster().getSample(x, y, 0);
        }
      }
      return new GreyImage(png.getWidth(), png.getHeight(), pixels, spacing);
    }
  }

  /** Little-endian float32 file {@code node.file} of shape {@code node.shape}. */
  FloatTensor tensor(JsonNode node) throws IOException {
    long[] shape = new long[node.get("shape").size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = node.get("shape").get(i).asLong();
    }
    try (InputStream in = resource(node.get("file").asText())) {
      return FloatTensor.fromLittleEndianBytes(in.readAllBytes(), shape);
    }
  }

  /** Pixel spacing from {@code pixel_spacing_mm: {row, col}}. */
  static PixelSpacing spacing(JsonNode meta) {
    JsonNode s = meta.get("pixel_spacing_mm");
    return new PixelSpacing(s.get("row").asDouble(), s.get("col").asDouble());
  }

  static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
    assertEquals(expected.length, actual.length, what);
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs((double) expected[i] - actual[i]));
    }
    assertTrue(worst <= tolerance, what + ": largest difference " + worst + " > " + tolerance);
  }

  private InputStream resource(String name) throws IOException {
    InputStream in = ParityFixtures.class.getResourceAsStream(dir + name);
    if (in == null) {
      throw new IOException("missing parity resource " + dir + name);
    }
    return in;
  }
}
