package io.spoils.gateway.backend;

import io.spoils.feature.tensor.FloatTensor;
import java.util.List;
import java.util.Objects;

/**
 * The answer of {@link InferenceBackend#segment}: the segmentation logits of each slice of a series.
 *
 * @param model model name ({@value SeriesSegmentation#MODEL})
 * @param version the model version that answered
 * @param logits per slice, in the order of the request: FP32 {@code [5, Hp, Wp]} (no batch
 *     dimension; the Hp x Wp of the inputs), ready for
 *     {@link io.spoils.feature.tensor.SegmentationOutput#toSemanticMap}
 */
public record SegmentationResult(String model, long version, List<FloatTensor> logits) {

  public SegmentationResult {
    Objects.requireNonNull(model, "model");
    logits = List.copyOf(logits);
  }
}
