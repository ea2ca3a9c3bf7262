package io.spoils.gateway.backend;

import io.spoils.feature.tensor.FloatTensor;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * Runs the GPU models (segmentation, disc grading) for the gateway: in process with ONNX Runtime
 * ({@link OnnxRuntimeBackend}) or on a Triton server. Every method is non-blocking and may be called
 * from the event loop; futures complete on the caller's Vert.x context where there is one.
 *
 * <p>Failed futures carry a {@link BackendException} with a backend-neutral {@link BackendStatus}.
 */
public interface InferenceBackend {

  /**
   * Runs one (batched) inference.
   *
   * @return the outputs, or a failure with {@code INVALID_ARGUMENT} (input names, shapes, batch
   *     size), {@code NOT_FOUND} (model or version), {@code DEADLINE_EXCEEDED},
   *     {@code UNAVAILABLE} (not ready, closed, overloaded) or {@code INTERNAL}
   */
  Future<InferResponse> infer(InferRequest request);

  /**
   * Segments the slices of one series with the {@code spine_segmentation} model (CONTRACT.md,
   * contract v2): one batch, split into requests of at most {@link #batchLimit} slices (sent at
   * once through {@link #infer}; see {@link SeriesSegmentation}).
   *
   * @param slices each {@link io.spoils.feature.tensor.SegmentationInput#prepare} of one slice,
   *     {@code [1, Hp, Wp]}, all with the same Hp x Wp (slices of one series share size and
   *     spacing); at least one
   * @param deadline applies to every request
   * @return the logits of each slice, {@code [5, Hp, Wp]}, in the order of {@code slices}; or a
   *     failure as {@link #infer}'s, {@code INVALID_ARGUMENT} also for slices of different or
   *     invalid shapes, and {@code INTERNAL} for an answer of the wrong shape
   */
  default Future<SegmentationResult> segment(List<FloatTensor> slices, Deadline deadline) {
    return SeriesSegmentation.run(this, slices, deadline);
  }

  /**
   * The most slices this backend takes in one request of {@code model}: the model's
   * {@code max_batch_size} (at least 1), or a smaller number where bigger batches cost more per
   * slice (the CPU; {@link OnnxRuntimeOptions#maxBatch()}). {@link #segment} splits by it, and a
   * caller that wants each request's answer as soon as it comes sends slices in groups of it.
   * 1 for an unknown model.
   */
  default int batchLimit(String model) {
    return model(model).map(spec -> Math.max(1, spec.maxBatchSize())).orElse(1);
  }

  /** Completes once every model is loaded and checked; fails with the reason when one is not. */
  Future<Void> ready();

  /** Releases the models; later calls fail with {@code UNAVAILABLE}. */
  Future<Void> close();

  /** The served model named {@code name}, if any. */
  Optional<ModelSpec> model(String name);

  /** All served models. */
  List<ModelSpec> models();

  /**
   * Where the served model named {@code model} comes from, in one line for
   * {@code spoils.v1.ModelInfo.provenance} (training data, model card, weights digest; see
   * {@link ModelProvenance}); empty when the backend does not know. Non-blocking: backends
   * derive it when they load.
   */
  default Optional<String> provenance(String model) {
    return Optional.empty();
  }

  /**
   * Warnings every analysis on this backend must carry, each as {@code CODE: sentence} (the form
   * of the pipeline's other warnings). Empty for backends that run the real models; the simulated
   * backend uses it to mark its results as not medical output.
   */
  default List<String> studyWarnings() {
    return List.of();
  }
}
