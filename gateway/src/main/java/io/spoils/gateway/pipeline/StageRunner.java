package io.spoils.gateway.pipeline;

import io.spoils.gateway.backend.Deadline;
import io.vertx.core.Future;
import java.util.concurrent.Callable;

/**
 * How one analysis runs its stages, for the pipeline's helpers ({@link SeriesSegmenter}): blocking
 * work on worker threads, each stage checked against the analysis' deadline and cancellation and
 * timed. Implemented by the analysis' run state in {@link AnalysisPipeline}.
 */
interface StageRunner {

  /**
   * Runs {@code steps} on a worker thread (unordered: two calls may run at once) after a deadline
   * check for {@code first}; each step inside checks and times itself with {@link #inline}.
   */
  <T> Future<T> blockingSteps(Stage first, Callable<T> steps);

  /** Runs {@code task} on a worker thread, timed as {@code stage}, after a deadline check. */
  default <T> Future<T> blocking(Stage stage, Callable<T> task) {
    return blockingSteps(stage, () -> inline(stage, task));
  }

  /** Runs {@code task} on this (worker) thread as {@code stage}, checked and timed as such. */
  <T> T inline(Stage stage, Callable<T> task) throws Exception;

  /** The stage boundary: fails with the deadline's or the cancellation's exception. */
  void checkDeadline(Stage stage);

  StageTimer timer();

  /** The analysis' deadline, carried by every backend call. */
  Deadline deadline();
}
