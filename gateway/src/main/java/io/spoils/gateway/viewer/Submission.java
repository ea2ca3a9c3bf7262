package io.spoils.gateway.viewer;

import io.spoils.gateway.api.ProtoEncoder;
import io.spoils.gateway.failure.Failure;
import io.spoils.gateway.pipeline.AnalysisRequest;
import io.spoils.gateway.pipeline.PipelineEvent;
import io.spoils.gateway.service.AnalysisContext;
import io.spoils.gateway.service.EventEncoder;
import io.spoils.proto.v1.AnalysisEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * One submitted analysis on its way into {@link RecentAnalyses}: the output format the transport
 * subscribes ({@code AnalysisService.analyze}'s {@code format}). When the service opens it (the
 * analysis was admitted and has its id) it keeps a new {@link RetainedAnalysis} and tells the
 * transport ({@code opened}); it encodes each event as the public API's
 * {@code spoils.v1.AnalysisEvent} ({@link ProtoEncoder}), and at the segmentation takes the label
 * map's PNG out of the event (left in only when the caller asked for masks) and starts rendering
 * the analysed slice on a worker ({@link SliceImages}). The transport adds each encoded event
 * ({@link #add}) and ends it ({@link #finish}). Used on the analysis's context.
 *
 * <p>The job the service runs must include masks ({@code Job.includeMask}) whatever the caller
 * asked: the label map comes from them.
 */
public final class Submission implements EventEncoder.Factory<AnalysisEvent> {

  private static final Logger LOG = Logger.getLogger(Submission.class.getName());

  private final RecentAnalyses store;
  private final Vertx vertx;
  private final Supplier<AnalysisRequest> study;
  private final BooleanSupplier includeMask;
  private final Consumer<RetainedAnalysis> opened;
  private RetainedAnalysis analysis;

  /**
   * @param study the analysed study (the request's, or what a PACS reference loaded), asked for
   *     at the segmentation event, to draw the analysed slice
   * @param includeMask whether the caller asked for masks (the segmentation event keeps its
   *     mask), asked for at the segmentation event
   * @param opened told of the kept analysis when the service opens it
   */
  public Submission(RecentAnalyses store, Vertx vertx, Supplier<AnalysisRequest> study,
      BooleanSupplier includeMask, Consumer<RetainedAnalysis> opened) {
    this.store = store;
    this.vertx = vertx;
    this.study = study;
    this.includeMask = includeMask;
    this.opened = opened;
  }

  @Override
  public EventEncoder<AnalysisEvent> open(AnalysisContext context) {
    EventEncoder<AnalysisEvent> proto = ProtoEncoder.FORMAT.open(context);
    analysis = store.open(context.analysisId());
    opened.accept(analysis);
    return event -> encode(proto, event);
  }

  /** The kept analysis, once opened. */
  public Optional<RetainedAnalysis> analysis() {
    return Optional.ofNullable(analysis);
  }

  /** Keeps {@code event} (encoded by this submission) and tells the analysis's listeners. */
  public void add(AnalysisEvent event) {
    analysis.add(event);
  }

  /** Ends the kept analysis, if it was opened: done when {@code failure} is empty. */
  public void finish(Optional<Failure> failure) {
    if (analysis != null) {
      store.finish(analysis, failure);
    }
  }

  private AnalysisEvent encode(EventEncoder<AnalysisEvent> proto, PipelineEvent event) {
    AnalysisEvent encoded = proto.encode(event);
    if (!(event instanceof PipelineEvent.Segmentation s)) {
      return encoded;
    }
    Buffer labels = encoded.getSegmentation().hasMask()
        ? Buffer.buffer(encoded.getSegmentation().getMask().getPng().toByteArray()) : null;
    List<AnalysisRequest.DicomInput> files = study.get().files();
    int index = s.measuredSlice().index();
    Future<Buffer> slice = vertx.executeBlocking(
        () -> Buffer.buffer(SliceImages.measuredSlicePng(files, index)), false);
    slice.onFailure(e -> LOG.warning(() -> "the analysed slice could not be rendered ("
        + e.getClass().getSimpleName() + ")"));
    analysis.images(slice, labels);
    if (includeMask.getAsBoolean()) {
      return encoded;
    }
    AnalysisEvent.Builder b = encoded.toBuilder();
    b.getSegmentationBuilder().clearMask();
    return b.build();
  }
}
