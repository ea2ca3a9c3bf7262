package io.spoils.gateway.output.store;

import io.spoils.gateway.pipeline.AnalysisRequest;
import io.spoils.gateway.pipeline.PipelineEvent;
import io.spoils.gateway.pipeline.PipelineSink;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A sink between the pipeline and the caller for an analysis whose results go to the PACS: passes
 * every event on as it comes except the summary, which it holds; {@link #finish} stores the
 * results and then sends the outcome warning and the summary, so the summary stays last. The
 * analysis runs with masks (the SEG needs the label map); when the caller did not ask for them,
 * they are dropped from the event it receives. Not thread-safe: one analysis, one context.
 */
public final class StoringSink implements PipelineSink {

  private final PipelineSink caller;
  private final boolean dropMasks;
  private final List<PipelineEvent> events = new ArrayList<>();
  private PipelineEvent.Summary summary;

  /**
   * @param caller receives the events
   * @param dropMasks whether the segmentation event reaches the caller without its label maps
   */
  public StoringSink(PipelineSink caller, boolean dropMasks) {
    this.caller = caller;
    this.dropMasks = dropMasks;
  }

  @Override
  public void accept(PipelineEvent event) {
    events.add(event);
    if (event instanceof PipelineEvent.Summary s) {
      summary = s;
    } else if (dropMasks && event instanceof PipelineEvent.Segmentation s) {
      caller.accept(new PipelineEvent.Segmentation(s.discLevels(), s.vertebraLevels(),
          s.vertebrae(), Optional.empty(), Optional.empty(), s.measuredSlice()));
    } else {
      caller.accept(event);
    }
  }

  /**
   * After the pipeline succeeded: stores the results, then sends the outcome warning and the
   * held summary to the caller.
   *
   * @param files the files the analysis was given
   * @return completes once the summary was sent
   */
  public Future<Void> finish(ResultStore store, List<AnalysisRequest.DicomInput> files) {
    if (summary == null) {
      return Future.failedFuture(new IllegalStateException("the analysis sent no summary"));
    }
    return store.store(events, files).map(warning -> {
      caller.accept(warning);
      caller.accept(summary);
      return null;
    });
  }
}
