package io.spoils.gateway.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.PixelSpacing;
import io.spoils.feature.tensor.DiscCrop;
import io.spoils.feature.tensor.FloatTensor;
import io.vertx.core.Vertx;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * End-to-end parity of disc grading with the Python training code: the grading helper's fixtures
 * ({@code src/test/resources/parity/disc_grading/}, written by export_grading.py from one validation
 * slice) give the image, the disc centroids, the crops from crops.py and PyTorch's probabilities.
 * Java's {@link DiscCrop} must equal the crops within 1e-5 and ONNX Runtime's probabilities on the
 * Java crops must equal PyTorch's within 1e-4 (CONTRACT.md). Skips until fixtures and model exist.
 */
class DiscGradingParityTest {

  private static final String DIR = "/parity/disc_grading/";

  @Test
  void discGrading_javaCropsAndOnnxRuntimeMatchPython() throws Exception {
    JsonNode meta = json("fixture.json");
    assumeTrue(meta != null, "no disc_grading parity fixtures (" + DIR + ") yet: skipping");
    ModelRepository repository = ModelRepository.load(RealModelRepositoryTest.repositoryPath());
    assumeTrue(repository.model(RealModelRepositoryTest.GRADING).isPresent(),
        "model disc_grading not in triton-models/ yet: skipping");

    GreyImage image = image(meta.get("image").asText(), new PixelSpacing(
        meta.get("pixel_spacing_mm").get("row").asDouble(), meta.get("pixel_spacing_mm").get("col").asDouble()));
    List<FloatTensor> crops = new ArrayList<>();
    for (JsonNode disc : meta.get("discs")) {
      crops.add(DiscCrop.extract(image, disc.get("cx").asDouble(), disc.get("cy").asDouble()));
    }
    FloatTensor javaCrops = FloatTensor.stack(crops);
    FloatTensor pythonCrops = tensor(meta.get("crops"));
    assertArrayEquals(pythonCrops.shape(), javaCrops.shape());
    assertClose(pythonCrops.data(), javaCrops.data(), meta.get("tolerance").get("crops").asDouble(), "crops");

    FloatTensor expected = tensor(meta.get("probabilities"));
    Vertx vertx = Vertx.vertx();
    OnnxRuntimeBackend backend = new OnnxRuntimeBackend(vertx, repository, new OnnxRuntimeOptions(1, 1, 4));
    try {
      OnnxRuntimeBackendTest.await(backend.ready());
      FloatTensor actual = OnnxRuntimeBackendTest.await(backend.infer(InferRequest.of(
          RealModelRepositoryTest.GRADING, Map.of(DiscCrop.INPUT_NAME, javaCrops),
          Deadline.after(Duration.ofMinutes(2))))).output("probabilities");
      assertArrayEquals(expected.shape(), actual.shape());
      assertClose(expected.data(), actual.data(), meta.get("tolerance").get("probabilities").asDouble(),
          "probabilities");
    } finally {
      OnnxRuntimeBackendTest.await(backend.close());
      OnnxRuntimeBackendTest.await(vertx.close());
    }
  }

  private static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
    assertEquals(expected.length, actual.length, what);
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs((double) expected[i] - actual[i]));
    }
    assertTrue(worst <= tolerance, what + ": largest difference " + worst + " > " + tolerance);
  }

  private static GreyImage image(String name, PixelSpacing spacing) throws IOException {
    try (InputStream in = resource(name)) {
      BufferedImage png = ImageIO.read(in);
      float[] pixels = new float[png.getWidth() * png.getHeight()];
      for (int y = 0; y < png.getHeight(); y++) {
        for (int x = 0; x < png.getWidth(); x++) {
          pixels[y * png.getWidth() + x] = png.getRaster().getSample(x, y, 0);
        }
      }
      return new GreyImage(png.getWidth(), png.getHeight(), pixels, spacing);
    }
  }

  private static FloatTensor tensor(JsonNode node) throws IOException {
    long[] shape = new long[node.get("shape").size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = node.get("shape").get(i).asLong();
    }
    try (InputStream in = resource(node.get("file").asText())) {
      return FloatTensor.fromLittleEndianBytes(in.readAllBytes(), shape);
    }
  }

  private static JsonNode json(String name) throws IOException {
    InputStream in = DiscGradingParityTest.class.getResourceAsStream(DIR + name);
    if (in == null) {
      return null;
    }
    try (in) {
      return new ObjectMapper().readTree(in);
    }
  }

  private static InputStream resource(String name) throws IOException {
    InputStream in = DiscGradingParityTest.class.getResourceAsStream(DIR + name);
    if (in == null) {
      throw new IOException("missing parity resource " + DIR + name);
    }
    return in;
  }
}
