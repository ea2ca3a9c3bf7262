package io.spoils.gateway.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.tensor.DiscCrop;
import io.spoils.feature.tensor.FloatTensor;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * End-to-end parity of disc grading with the Python training code: the grading helper's fixtures
 * ({@code src/test/resources/parity/disc_grading/}, written by export_grading.py from one validation
 * slice) give the image, the disc centroids, the crops from crops.py and PyTorch's probabilities.
 * Java's {@link DiscCrop} must equal the crops within 1e-5 and ONNX Runtime's probabilities on the
 * Java crops must equal PyTorch's within 1e-4 (CONTRACT.md). Skips until fixtures and model exist.
 */
class DiscGradingParityTest {

  private final ParityFixtures fixtures = new ParityFixtures(RealModelRepositoryTest.GRADING);

  @Test
  void discGrading_javaCropsAndOnnxRuntimeMatchPython() throws Exception {
    JsonNode meta = fixtures.meta();
    assumeTrue(meta != null, "no disc_grading parity fixtures yet: skipping");
    ModelRepository repository = ModelRepository.load(RealModelRepositoryTest.repositoryPath());
    assumeTrue(repository.model(RealModelRepositoryTest.GRADING).isPresent(),
        "model disc_grading not in triton-models/ yet: skipping");

    GreyImage image = fixtures.image(meta.get("image").asText(), ParityFixtures.spacing(meta));
    List<FloatTensor> crops = new ArrayList<>();
    for (JsonNode disc : meta.get("discs")) {
      crops.add(DiscCrop.extract(image, disc.get("cx").asDouble(), disc.get("cy").asDouble()));
    }
    FloatTensor javaCrops = FloatTensor.stack(crops);
    FloatTensor pythonCrops = fixtures.tensor(meta.get("crops"));
    assertArrayEquals(pythonCrops.shape(), javaCrops.shape());
    ParityFixtures.assertClose(pythonCrops.data(), javaCrops.data(),
        meta.get("tolerance").get("crops").asDouble(), "crops");

    FloatTensor expected = fixtures.tensor(meta.get("probabilities"));
    Vertx vertx = Vertx.vertx();
    OnnxRuntimeBackend backend = new OnnxRuntimeBackend(vertx, repository, new OnnxRuntimeOptions(1, 1, 4));
    try {
      OnnxRuntimeBackendTest.await(backend.ready());
      FloatTensor actual = OnnxRuntimeBackendTest.await(backend.infer(InferRequest.of(
          RealModelRepositoryTest.GRADING, Map.of(DiscCrop.INPUT_NAME, javaCrops),
          Deadline.after(Duration.ofMinutes(2))))).output("probabilities");
      assertArrayEquals(expected.shape(), actual.shape());
      ParityFixtures.assertClose(expected.data(), actual.data(),
          meta.get("tolerance").get("probabilities").asDouble(), "probabilities");
    } finally {
      OnnxRuntimeBackendTest.await(backend.close());
      OnnxRuntimeBackendTest.await(vertx.close());
    }
  }
}
