package io.spoils.gateway.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.tensor.FloatTensor;
import io.spoils.proto.inference.DataType;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The batched segmentation call: splitting, order, shape checks, failures. */
class SeriesSegmentationTest {

  private static final Deadline LATER = Deadline.after(Duration.ofSeconds(30));

  /** A backend serving spine_segmentation with {@code maxBatch}, answering with {@code answer}. */
  private static class Recording implements InferenceBackend {
    final List<long[]> shapes = new ArrayList<>();
    final ModelSpec spec;
    final Function<FloatTensor, FloatTensor> answer;

    Recording(int maxBatch, Function<FloatTensor, FloatTensor> answer) {
      this.spec = new ModelSpec(SeriesSegmentation.MODEL, 3, "test", maxBatch,
          List.of(new TensorSpec("image", DataType.TYPE_FP32, List.of(1L, -1L, -1L))),
          List.of(new TensorSpec("logits", DataType.TYPE_FP32, List.of(5L, -1L, -1L))),
          Path.of("none"));
      this.answer = answer;
    }

    @Override
    public Future<InferResponse> infer(InferRequest request) {
      RequestValidator.validate(spec, request);
      FloatTensor in = request.inputs().get("image");
      shapes.add(in.shape());
      return Future.succeededFuture(new InferResponse(spec.name(), 3, Map.of("logits", answer.apply(in))));
    }

    @Override
    public Future<Void> ready() {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }

    @Override
    public Optional<ModelSpec> model(String name) {
      return name.equals(spec.name()) ? Optional.of(spec) : Optional.empty();
    }

    @Override
    public List<ModelSpec> models() {
      return List.of(spec);
    }
  }

  /** Logits whose every value is the slice's first input value (to check the order). */
  private static FloatTensor echo(FloatTensor in) {
    long[] s = in.shape();
    int plane = (int) (s[2] * s[3]);
    float[] out = new float[(int) s[0] * 5 * plane];
    for (int i = 0; i < s[0]; i++) {
      java.util.Arrays.fill(out, i * 5 * plane, (i + 1) * 5 * plane, in.data()[i * plane]);
    }
    return FloatTensor.of(out, s[0], 5, s[2], s[3]);
  }

  private static FloatTensor slice(float value, int rows, int cols) {
    float[] data = new float[rows * cols];
    java.util.Arrays.fill(data, value);
    return FloatTensor.of(data, 1, rows, cols);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get();
  }

  private static BackendStatus failure(Future<?> f) {
    var e = assertThrows(ExecutionException.class, () -> await(f));
    return assertInstanceOf(BackendException.class, e.getCause()).status();
  }

  @Test
  void split_nearlyEqualRunsWithinTheLimit() {
    List<Integer> thirteen = IntStream.range(0, 13).boxed().toList();
    assertEquals(List.of(4, 3, 3, 3), SeriesSegmentation.split(thirteen, 4).stream()
        .map(List::size).toList());
    assertEquals(List.of(4, 4), SeriesSegmentation.split(thirteen.subList(0, 8), 4).stream()
        .map(List::size).toList());
    assertEquals(List.of(1), SeriesSegmentation.split(thirteen.subList(0, 1), 4).stream()
        .map(List::size).toList());
    assertEquals(thirteen, SeriesSegmentation.split(thirteen, 5).stream().flatMap(List::stream).toList());
  }

  @Test
  void segment_sevenSlicesMaxBatchThree_threeRequestsLogitsInOrder() throws Exception {
    Recording backend = new Recording(3, SeriesSegmentationTest::echo);
    List<FloatTensor> slices = IntStream.range(0, 7).mapToObj(i -> slice(i, 64, 96)).toList();
    SegmentationResult r = await(backend.segment(slices, LATER));
    assertEquals(3, backend.shapes.size());
    assertArrayEquals(new long[] {3, 1, 64, 96}, backend.shapes.get(0));
    assertArrayEquals(new long[] {2, 1, 64, 96}, backend.shapes.get(2));
    assertEquals(3, r.version());
    assertEquals(7, r.logits().size());
    for (int i = 0; i < 7; i++) {
      assertArrayEquals(new long[] {5, 64, 96}, r.logits().get(i).shape());
      assertEquals(i, r.logits().get(i).data()[100]);
    }
  }

  @Test
  void segment_batchLimitBelowMaxBatch_splitsByTheBackendsLimit() throws Exception {
    Recording backend = new Recording(4, SeriesSegmentationTest::echo) {
      @Override
      public int batchLimit(String model) {
        return 2;
      }
    };
    List<FloatTensor> slices = IntStream.range(0, 5).mapToObj(i -> slice(i, 64, 64)).toList();
    SegmentationResult r = await(backend.segment(slices, LATER));
    assertEquals(List.of(2L, 2L, 1L), backend.shapes.stream().map(s -> s[0]).toList());
    for (int i = 0; i < 5; i++) {
      assertEquals(i, r.logits().get(i).data()[100]);
    }
  }

  @Test
  void batchLimit_default_isTheModelsMaxBatchSizeOrOne() {
    assertEquals(3, new Recording(3, SeriesSegmentationTest::echo).batchLimit(
        SeriesSegmentation.MODEL));
    assertEquals(1, new Recording(0, SeriesSegmentationTest::echo).batchLimit(
        SeriesSegmentation.MODEL));
    assertEquals(1, new Recording(3, SeriesSegmentationTest::echo).batchLimit("unknown"));
  }

  @Test
  void segment_badSlices_invalidArgumentBeforeAnyRequest() {
    Recording backend = new Recording(4, SeriesSegmentationTest::echo);
    assertEquals(BackendStatus.INVALID_ARGUMENT, failure(backend.segment(List.of(), LATER)));
    assertEquals(BackendStatus.INVALID_ARGUMENT, failure(backend.segment(
        List.of(slice(0, 64, 64), slice(0, 64, 96)), LATER)));
    assertEquals(BackendStatus.INVALID_ARGUMENT, failure(backend.segment(List.of(slice(0, 64, 80)), LATER)));
    assertEquals(BackendStatus.INVALID_ARGUMENT, failure(backend.segment(List.of(slice(0, 32, 64)), LATER)));
    assertEquals(BackendStatus.INVALID_ARGUMENT, failure(backend.segment(
        List.of(FloatTensor.zeros(2, 64, 64)), LATER)));
    assertTrue(backend.shapes.isEmpty());
  }

  @Test
  void segment_answerOfWrongShape_internal() {
    Recording backend = new Recording(4, in -> FloatTensor.zeros(in.dim(0), 4, in.dim(2), in.dim(3)));
    assertEquals(BackendStatus.INTERNAL, failure(backend.segment(List.of(slice(0, 64, 64)), LATER)));
  }

  @Test
  void segment_noSegmentationModel_notFound() {
    Recording backend = new Recording(4, SeriesSegmentationTest::echo) {
      @Override
      public Optional<ModelSpec> model(String name) {
        return Optional.empty();
      }
    };
    assertEquals(BackendStatus.NOT_FOUND, failure(backend.segment(List.of(slice(0, 64, 64)), LATER)));
  }
}
