package io.spoils.gateway.pipeline;

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
 * Items of one study sent to one model in batched requests: all in one request, split into
 * consecutive requests of at most the model's {@code max_batch_size} when there are more. The
 * requests are sent at once (the backend may run them in parallel); request {@code r} holds items
 * {@code r * batchSize()} up to the next request's first. Used for the disc crops
 * ({@link CnnBatches}) and the slices of a series (segmentation).
 */
final class ModelBatches {

  private final List<Future<InferResponse>> requests;
  private final int batchSize;

  private ModelBatches(List<Future<InferResponse>> requests, int batchSize) {
    this.requests = requests;
    this.batchSize = batchSize;
  }

  /**
   * Sends {@code items} (each without the batch dimension, all of one shape) as input
   * {@code inputName} of {@code model}.
   *
   * @throws BackendException NOT_FOUND when the backend does not serve {@code model}, INTERNAL when
   *     the model takes no batch dimension
   */
  static ModelBatches send(InferenceBackend backend, String model, String inputName,
      List<FloatTensor> items, Deadline deadline) {
    ModelSpec spec = backend.model(model).orElseThrow(() -> new BackendException(
        BackendStatus.NOT_FOUND, "the inference backend does not serve model " + model));
    if (!spec.batched()) {
      throw new BackendException(BackendStatus.INTERNAL, "model " + model
          + " must declare max_batch_size > 0: the items of a study go in batched requests");
    }
    int size = spec.maxBatchSize();
    List<Future<InferResponse>> requests = new ArrayList<>();
    for (int from = 0; from < items.size(); from += size) {
      List<FloatTensor> batch = items.subList(from, Math.min(items.size(), from + size));
      requests.add(backend.infer(InferRequest.of(model,
          Map.of(inputName, FloatTensor.stack(batch)), deadline)));
    }
    return new ModelBatches(requests, size);
  }

  /** Every request, in item order. */
  List<Future<InferResponse>> requests() {
    return requests;
  }

  /** Items per request (the last may hold fewer). */
  int batchSize() {
    return batchSize;
  }
}
