package io.spoils.gateway.backend;

import io.spoils.feature.tensor.FloatTensor;
import io.spoils.feature.tensor.SegmentationGrid;
import io.spoils.feature.tensor.SegmentationInput;
import io.spoils.feature.tensor.SegmentationOutput;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@link InferenceBackend#segment}: the slices of one series through the {@value #MODEL} model
 * (CONTRACT.md, contract v2) in as few requests as {@link InferenceBackend#batchLimit} allows.
 * The slices are split into requests of nearly equal size (13 slices with a maximum of 4: 4, 3,
 * 3, 3), sent at once through {@link InferenceBackend#infer}, so every backend, and a decorator
 * that times {@code infer}, handles them as ordinary calls.
 *
 * <p>Checks before any call ({@code INVALID_ARGUMENT}): at least one slice; every slice
 * {@code [1, Hp, Wp]} with the same Hp x Wp, multiples of {@value SegmentationGrid#PAD} from
 * {@value SegmentationGrid#MIN_PIXELS} to {@value SegmentationGrid#MAX_PIXELS}. After: each answer
 * is {@code [n, 5, Hp, Wp]} for its n slices ({@code INTERNAL} otherwise). The first failed
 * request fails the whole call.
 */
public final class SeriesSegmentation {

  /** Name of the segmentation model in the model repository. */
  public static final String MODEL = "spine_segmentation";

  private SeriesSegmentation() {
  }

  static Future<SegmentationResult> run(InferenceBackend backend, List<FloatTensor> slices,
      Deadline deadline) {
    int batchLimit;
    long[] item;
    try {
      item = checkSlices(slices);
      backend.model(MODEL).orElseThrow(() -> new BackendException(
          BackendStatus.NOT_FOUND, "unknown model " + MODEL));
      batchLimit = backend.batchLimit(MODEL);
    } catch (BackendException e) {
      return Future.failedFuture(e);
    }
    List<List<FloatTensor>> requests = split(slices, batchLimit);
    List<Future<InferResponse>> answers = new ArrayList<>();
    for (List<FloatTensor> batch : requests) {
      answers.add(backend.infer(InferRequest.of(MODEL,
          Map.of(SegmentationInput.INPUT_NAME, FloatTensor.stack(batch)), deadline)));
    }
    return Future.all(answers).map(all -> {
      List<FloatTensor> logits = new ArrayList<>(slices.size());
      for (int i = 0; i < answers.size(); i++) {
        logits.addAll(items(answers.get(i).result(), requests.get(i).size(), item));
      }
      InferResponse first = answers.get(0).result();
      return new SegmentationResult(first.model(), first.version(), logits);
    });
  }

  /** The slices' common item shape {@code [1, Hp, Wp]}. */
  private static long[] checkSlices(List<FloatTensor> slices) {
    if (slices.isEmpty()) {
      throw invalid("a segmentation call needs at least one slice");
    }
    long[] shape = slices.get(0).shape();
    if (shape.length != 3 || shape[0] != 1 || !paddedSize(shape[1]) || !paddedSize(shape[2])) {
      throw invalid("segmentation input must be [1, Hp, Wp] with Hp and Wp multiples of "
          + SegmentationGrid.PAD + " from " + SegmentationGrid.MIN_PIXELS + " to "
          + SegmentationGrid.MAX_PIXELS + ", got " + Arrays.toString(shape));
    }
    for (FloatTensor t : slices) {
      if (!t.hasShape(shape)) {
        throw invalid("the slices of one segmentation call must have one shape: "
            + Arrays.toString(shape) + " and " + Arrays.toString(t.shape()));
      }
    }
    return shape;
  }

  private static boolean paddedSize(long n) {
    return n % SegmentationGrid.PAD == 0 && n >= SegmentationGrid.MIN_PIXELS
        && n <= SegmentationGrid.MAX_PIXELS;
  }

  /**
   * Consecutive runs of nearly equal size, none over {@code limit} (13 items with a limit of 4:
   * 4, 3, 3, 3): the requests {@link InferenceBackend#segment} sends.
   */
  public static <T> List<List<T>> split(List<T> slices, int limit) {
    int requests = (slices.size() + limit - 1) / limit;
    List<List<T>> out = new ArrayList<>(requests);
    int from = 0;
    for (int r = 0; r < requests; r++) {
      int size = (slices.size() - from) / (requests - r);
      size += (slices.size() - from) % (requests - r) == 0 ? 0 : 1;
      out.add(slices.subList(from, from + size));
      from += size;
    }
    return out;
  }

  /** The n items of one answer, each {@code [5, Hp, Wp]}. */
  private static List<FloatTensor> items(InferResponse response, int n, long[] item) {
    FloatTensor logits = response.output(SegmentationOutput.OUTPUT_NAME);
    long[] expected = {n, SegmentationOutput.CLASSES, item[1], item[2]};
    if (!logits.hasShape(expected)) {
      throw new BackendException(BackendStatus.INTERNAL, "model " + response.model()
          + " answered logits " + Arrays.toString(logits.shape()) + " for "
          + Arrays.toString(expected));
    }
    List<FloatTensor> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(logits.batchItem(i));
    }
    return out;
  }

  private static BackendException invalid(String reason) {
    return new BackendException(BackendStatus.INVALID_ARGUMENT, reason);
  }
}
