package io.spoils.gateway.pipeline;

import io.spoils.gateway.backend.Deadline;
import java.util.Objects;
import java.util.Optional;

/**
 * The caller's hold on one analysis.
 *
 * @param deadline the caller's own deadline (e.g. from gRPC's {@code grpc-timeout}); the analysis
 *     runs until the earlier of it and the pipeline's {@link PipelineOptions#timeout()}, and every
 *     backend call carries that earlier deadline; empty: the pipeline's timeout alone
 * @param cancellation cancelled when the caller gives up; checked at every stage boundary
 */
public record AnalysisControl(Optional<Deadline> deadline, Cancellation cancellation) {

  public AnalysisControl {
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(cancellation, "cancellation");
  }

  /** No caller deadline and a cancellation nobody triggers. */
  public static AnalysisControl none() {
    return new AnalysisControl(Optional.empty(), new Cancellation());
  }

  /** {@code cancellation} without a caller deadline. */
  public static AnalysisControl of(Cancellation cancellation) {
    return new AnalysisControl(Optional.empty(), cancellation);
  }
}
