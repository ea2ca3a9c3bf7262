package io.spoils.gateway.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelSpacing;
import io.spoils.feature.tensor.DiscCrop;
import io.spoils.feature.tensor.FloatTensor;
import io.spoils.feature.tensor.SegmentationInput;
import io.spoils.feature.tensor.SegmentationOutput;
import io.spoils.proto.inference.DataType;
import io.vertx.core.Vertx;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real model repository ({@code triton-models/} at the reactor root, or the folder in system
 * property {@code spoils.triton.models}): every config.pbtxt against its ONNX graph, and the two
 * project models against the Java pre- and post-processing shapes. Skips while no model is there.
 */
class RealModelRepositoryTest {

  static final String SEGMENTATION = "spine_segmentation";
  static final String GRADING = "disc_grading";
  static final List<String> SEGMENTATION_LABELS = List.of("background", "disc", "vertebra", "canal",
      "lumbosacral_disc");
  static final List<String> GRADING_LABELS =
      List.of("1L", "2L", "3L", "3M", "3H", "4L", "4M", "4H", "5L", "5M", "5H");
  private static final Duration GENEROUS = Duration.ofMinutes(2);

  private static Vertx vertx;
  private static ModelRepository repository;
  private static OnnxRuntimeBackend backend;

  /** The repository folder: property spoils.triton.models, else ../triton-models from the module. */
  static Path repositoryPath() {
    String configured = System.getProperty("spoils.triton.models");
    return configured != null ? Path.of(configured) : Path.of("..", "triton-models").toAbsolutePath().normalize();
  }

  @BeforeAll
  static void start() {
    Path path = repositoryPath();
    if (Files.isDirectory(path)) {
      repository = ModelRepository.load(path);
    }
    if (repository != null && !repository.models().isEmpty()) {
      vertx = Vertx.vertx();
      backend = new OnnxRuntimeBackend(vertx, repository, OnnxRuntimeOptions.defaults());
    }
  }

  /** Skips (per test, so the reason shows in the report) while the repository holds no model. */
  private static void requireModels() {
    assumeTrue(repository != null, "no model repository at " + repositoryPath() + ": skipping");
    assumeTrue(backend != null, "no model in " + repositoryPath()
        + " yet (spine_segmentation and disc_grading not committed): skipping");
  }

  @AfterAll
  static void stop() throws Exception {
    if (backend != null) {
      OnnxRuntimeBackendTest.await(backend.close());
    }
    if (vertx != null) {
      OnnxRuntimeBackendTest.await(vertx.close());
    }
  }

  @Test
  void everyModel_configMatchesOnnxGraph() throws Exception {
    requireModels();
    // ready() fails with the list of mismatches when any config.pbtxt disagrees with its graph
    OnnxRuntimeBackendTest.await(backend.ready());
    for (ModelSpec spec : repository.models().values()) {
      assertTrue(OnnxModelCheck.isOnnx(spec), spec.name() + " is " + spec.platform());
    }
  }

  @Test
  void spineSegmentation_shapesMatchJavaProcessing() throws Exception {
    ModelSpec spec = model(SEGMENTATION);
    // contract v2: variable spatial dims, 5 classes
    assertEquals(List.of(new TensorSpec(SegmentationInput.INPUT_NAME, DataType.TYPE_FP32,
        List.of(1L, -1L, -1L))), spec.inputs());
    assertEquals(new TensorSpec(SegmentationOutput.OUTPUT_NAME, DataType.TYPE_FP32,
        List.of((long) SegmentationOutput.CLASSES, -1L, -1L)),
        spec.output(SegmentationOutput.OUTPUT_NAME).orElseThrow());
    assertTrue(spec.maxBatchSize() >= 1, "max_batch_size " + spec.maxBatchSize());
    assertEquals(SEGMENTATION_LABELS, labels(spec));

    GreyImage image = testImage();
    FloatTensor logits = infer(spec, SegmentationInput.INPUT_NAME,
        FloatTensor.stack(List.of(SegmentationInput.prepare(image)))).output(SegmentationOutput.OUTPUT_NAME);
    // 640 x 512 at 0.46875 mm -> 375 x 300 at 0.8 mm -> padded 384 x 320
    assertArrayEquals(new long[] {1, 5, 384, 320}, logits.shape());
    LabelMap map = SegmentationOutput.toSemanticMap(logits.batchItem(0), image.height(), image.width(),
        image.spacing());
    assertEquals(image.width(), map.width());
    assertEquals(image.height(), map.height());
  }

  /** Landscape, non-square pixels, another padded size: the graph takes any multiple of 32. */
  @Test
  void spineSegmentation_otherFieldOfView_logitsOfItsPaddedSize() throws Exception {
    ModelSpec spec = model(SEGMENTATION);
    // 260 x 380 at 0.9 x 0.7 mm -> about 293 x 333 at 0.8 mm -> padded 320 x 352
    float[] pixels = new float[260 * 380];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) (100 + 50 * Math.sin(i % 380 / 17.0) * Math.cos(i / 380 / 23.0));
    }
    GreyImage image = new GreyImage(380, 260, pixels, new PixelSpacing(0.9, 0.7));
    FloatTensor input = SegmentationInput.prepare(image);
    assertArrayEquals(new long[] {1, 320, 352}, input.shape());
    OnnxRuntimeBackendTest.await(backend.ready());
    SegmentationResult result = OnnxRuntimeBackendTest.await(backend.segment(List.of(input),
        Deadline.after(GENEROUS)));
    assertEquals(spec.version(), result.version());
    assertArrayEquals(new long[] {5, 320, 352}, result.logits().get(0).shape());
    LabelMap map = SegmentationOutput.toSemanticMap(result.logits().get(0), 260, 380, image.spacing());
    assertEquals(380, map.width());
  }

  @Test
  void discGrading_shapesMatchJavaProcessing() throws Exception {
    ModelSpec spec = model(GRADING);
    assertEquals(List.of(new TensorSpec(DiscCrop.INPUT_NAME, DataType.TYPE_FP32, boxed(DiscCrop.itemShape()))),
        spec.inputs());
    assertEquals(new TensorSpec("probabilities", DataType.TYPE_FP32, List.of(11L)),
        spec.output("probabilities").orElseThrow());
    assertTrue(spec.maxBatchSize() >= 2, "all discs of a study go in one batch; max_batch_size "
        + spec.maxBatchSize());
    assertEquals(GRADING_LABELS, labels(spec));

    GreyImage image = testImage();
    FloatTensor batch = FloatTensor.stack(List.of(
        DiscCrop.extract(image, image.width() / 2.0, image.height() / 2.0),
        DiscCrop.extract(image, image.width() / 3.0, image.height() * 0.7)));
    FloatTensor probabilities = infer(spec, DiscCrop.INPUT_NAME, batch).output("probabilities");
    assertArrayEquals(new long[] {2, 11}, probabilities.shape());
    for (int n = 0; n < 2; n++) {
      double sum = 0;
      for (float p : probabilities.batchItem(n).data()) {
        assertTrue(p >= 0 && p <= 1, "probability " + p);
        sum += p;
      }
      assertEquals(1.0, sum, 1e-4, "softmax output sums to 1");
    }
  }

  private static InferResponse infer(ModelSpec spec, String input, FloatTensor batch) throws Exception {
    OnnxRuntimeBackendTest.await(backend.ready());
    return OnnxRuntimeBackendTest.await(backend.infer(InferRequest.of(spec.name(), Map.of(input, batch),
        Deadline.after(GENEROUS))));
  }

  private static ModelSpec model(String name) {
    requireModels();
    ModelSpec spec = repository.model(name).orElse(null);
    assumeTrue(spec != null, "model " + name + " not in " + repository.root() + " yet: skipping");
    return spec;
  }

  private static List<String> labels(ModelSpec spec) throws IOException {
    Path file = repository.root().resolve(spec.name()).resolve("labels.txt");
    return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
  }

  /** A real SPIDER slice where the data is present, else a smooth synthetic image of that size. */
  static GreyImage testImage() throws IOException {
    Path png = Path.of(System.getProperty("spoils.data.spider", "/nonexistent"), "images", "005_slice59.png");
    PixelSpacing spacing = new PixelSpacing(0.46875, 0.46875);
    if (Files.isRegularFile(png)) {
      BufferedImage img = ImageIO.read(png.toFile());
      float[] pixels = new float[img.getWidth() * img.getHeight()];
      for (int y = 0; y < img.getHeight(); y++) {
        for (int x = 0; x < img.getWidth(); x++) {
          pixels[y * img.getWidth() + x] = img.getRaster().getSample(x, y, 0);
        }
      }
      return new GreyImage(img.getWidth(), img.getHeight(), pixels, spacing);
    }
    Random random = new Random(5);
    float[] pixels = new float[512 * 640];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) (100 + 60 * Math.sin(i % 512 / 40.0) * Math.cos(i / 512 / 55.0) + random.nextGaussian());
    }
    return new GreyImage(512, 640, pixels, spacing);
  }

  private static List<Long> boxed(long[] shape) {
    return java.util.Arrays.stream(shape).boxed().toList();
  }
}
