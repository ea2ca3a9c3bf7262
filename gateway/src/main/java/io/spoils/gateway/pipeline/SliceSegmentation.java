package io.spoils.gateway.pipeline;

import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.tensor.FloatTensor;
import io.spoils.feature.tensor.SegmentationInput;
import io.spoils.feature.tensor.SegmentationOutput;
import io.spoils.gateway.backend.BackendException;
import io.spoils.gateway.backend.BackendStatus;
import io.spoils.gateway.backend.Deadline;
import io.spoils.gateway.backend.InferResponse;
import io.spoils.gateway.backend.InferenceBackend;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code spine_segmentation} side of a series: each slice's model input
 * ({@link SegmentationInput}), one batched call for all slices (requests of at most the model's
 * {@code max_batch_size}, sent at once: {@link ModelBatches}), and each slice's logits back to a
 * semantic map at the slice's own size ({@link SegmentationOutput}). The one class that knows the
 * segmentation tensors and the backend call, so a change of either (a backend signature, a tensor
 * contract) stays here. Stateless; {@link #input} and {@link #semanticMaps} are blocking.
 */
final class SliceSegmentation {

  /**
   * What the model answered for a series.
   *
   * @param model the model's name
   * @param version the version that answered
   * @param logits per slice, in the order sent, without the batch dimension
   */
  record Result(String model, long version, List<FloatTensor> logits) { }

  private SliceSegmentation() {
  }

  /** The model input of one slice (blocking). */
  static FloatTensor input(GreyImage slice) {
    return SegmentationInput.prepare(slice);
  }

  /**
   * Segments the slices of one series: {@code inputs} in slice order, all of one shape.
   *
   * @return each slice's logits, or the first failed request's failure
   */
  static Future<Result> segment(InferenceBackend backend, List<FloatTensor> inputs,
      Deadline deadline) {
    ModelBatches batches;
    try {
      batches = ModelBatches.send(backend, AnalysisPipeline.SEGMENTATION_MODEL,
          SegmentationInput.INPUT_NAME, inputs, deadline);
    } catch (BackendException e) {
      return Future.failedFuture(e);
    }
    return Future.all(batches.requests()).map(all -> {
      List<FloatTensor> logits = new ArrayList<>(inputs.size());
      for (Future<InferResponse> request : batches.requests()) {
        int expected = Math.min(batches.batchSize(), inputs.size() - logits.size());
        logits.addAll(items(request.result(), expected));
      }
      InferResponse first = batches.requests().get(0).result();
      return new Result(first.model(), first.version(), logits);
    });
  }

  /** The semantic maps (SPIDER scheme) of the slices, at each slice's size (blocking). */
  static List<LabelMap> semanticMaps(List<FloatTensor> logits, List<GreyImage> slices) {
    List<LabelMap> maps = new ArrayList<>(slices.size());
    for (int i = 0; i < slices.size(); i++) {
      GreyImage slice = slices.get(i);
      maps.add(SegmentationOutput.toSemanticMap(logits.get(i), slice.height(), slice.width(),
          slice.spacing()));
    }
    return maps;
  }

  private static List<FloatTensor> items(InferResponse response, int n) {
    FloatTensor logits = response.output(SegmentationOutput.OUTPUT_NAME);
    if (logits.rank() < 2 || logits.dim(0) != n) {
      throw new BackendException(BackendStatus.INTERNAL, "model " + response.model()
          + " returned " + SegmentationOutput.OUTPUT_NAME + " of shape "
          + Arrays.toString(logits.shape()) + " for " + n + " slices");
    }
    List<FloatTensor> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(logits.batchItem(i));
    }
    return out;
  }
}
