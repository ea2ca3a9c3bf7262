package io.spoils.gateway.pipeline;

import io.spoils.feature.tensor.DiscCrop;
import io.spoils.feature.tensor.FloatTensor;
import io.spoils.gateway.backend.BackendException;
import io.spoils.gateway.backend.BackendStatus;
import io.spoils.gateway.backend.Deadline;
import io.spoils.gateway.backend.InferRequest;
import io.spoils.gateway.backend.InferResponse;
import io.spoils.gateway.backend.InferenceBackend;
import io.spoils.gateway.backend.ModelSpec;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sends the disc crops of one study to {@code disc_grading}: all in one batched request, split into
 * consecutive requests of at most the model's {@code max_batch_size} when there are more discs. The
 * requests are sent at once (the backend may run them in parallel); the result of disc {@code k} is
 * available as soon as its own request has answered.
 */
final class CnnBatches {

  /** Name of the grading model's output tensor (CONTRACT.md). */
  static final String OUTPUT_NAME = "probabilities";
  /** Classes of the grading output. */
  static final int CLASSES = 11;

  private final List<Future<InferResponse>> requests;
  private final int batchSize;

  private CnnBatches(List<Future<InferResponse>> requests, int batchSize) {
    this.requests = requests;
    this.batchSize = batchSize;
  }

  /**
   * Sends {@code crops} (each {@code [1, 128, 128]}).
   *
   * @throws BackendException NOT_FOUND when the backend does not serve {@code model}, INTERNAL when
   *     the model takes no batch dimension
   */
  static CnnBatches send(InferenceBackend backend, String model, List<FloatTensor> crops,
      Deadline deadline) {
    ModelSpec spec = backend.model(model).orElseThrow(() -> new BackendException(
        BackendStatus.NOT_FOUND, "the inference backend does not serve model " + model));
    if (!spec.batched()) {
      throw new BackendException(BackendStatus.INTERNAL, "model " + model
          + " must declare max_batch_size > 0: all discs of a study go in one batched request");
    }
    int size = spec.maxBatchSize();
    List<Future<InferResponse>> requests = new ArrayList<>();
    for (int from = 0; from < crops.size(); from += size) {
      List<FloatTensor> batch = crops.subList(from, Math.min(crops.size(), from + size));
      requests.add(backend.infer(InferRequest.of(model,
          Map.of(DiscCrop.INPUT_NAME, FloatTensor.stack(batch)), deadline)));
    }
    return new CnnBatches(requests, size);
  }

  /** Every request, in disc order. */
  List<Future<InferResponse>> requests() {
    return requests;
  }

  /** The 11 probabilities of disc {@code k} (0-based among the crops sent). */
  Future<float[]> probabilities(int k) {
    int row = k % batchSize;
    return requests.get(k / batchSize).map(response -> row(response, row));
  }

  private static float[] row(InferResponse response, int row) {
    FloatTensor out = response.output(OUTPUT_NAME);
    long[] shape = out.shape();
    if (shape.length != 2 || shape[1] != CLASSES || row >= shape[0]) {
      throw new BackendException(BackendStatus.INTERNAL, "model " + response.model()
          + " returned " + OUTPUT_NAME + " of shape " + java.util.Arrays.toString(shape)
          + ", expected [n, " + CLASSES + "]");
    }
    float[] p = new float[CLASSES];
    System.arraycopy(out.data(), row * CLASSES, p, 0, CLASSES);
    return p;
  }
}
