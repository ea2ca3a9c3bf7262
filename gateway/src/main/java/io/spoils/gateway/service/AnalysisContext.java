package io.spoils.gateway.service;

import java.util.Objects;
import java.util.function.Function;

/**
 * One admitted analysis as its output encoder sees it when the encoder is opened.
 *
 * @param analysisId opaque id of the analysis (a random UUID), never patient data
 * @param receivedNanos {@link System#nanoTime()} when its request arrived (events count
 *     {@code elapsed_ms} from it)
 * @param maxContributions feature contributions per disc the caller asked for, 0-50
 * @param provenance a model's name to its provenance line ({@code ""} when unknown)
 */
public record AnalysisContext(String analysisId, long receivedNanos, int maxContributions,
    Function<String, String> provenance) {

  public AnalysisContext {
    Objects.requireNonNull(analysisId, "analysisId");
    Objects.requireNonNull(provenance, "provenance");
  }
}
