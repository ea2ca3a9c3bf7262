package io.spoils.gateway.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * A caller's request to stop one analysis (the client cancelled or went away). The pipeline checks
 * it at every stage boundary: once cancelled, no further stage starts and no further backend call
 * is made; the analysis then fails with {@link AnalysisCancelledException}. A stage already running
 * (a model call, a blocking step) finishes first. Thread-safe; cancelling twice is harmless.
 */
public final class Cancellation {

  private final List<Runnable> listeners = new ArrayList<>();
  private volatile boolean cancelled;

  /** Cancels; runs the listeners (on the calling thread) the first time only. */
  public void cancel() {
    List<Runnable> toRun;
    synchronized (this) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      toRun = List.copyOf(listeners);
      listeners.clear();
    }
    toRun.forEach(Runnable::run);
  }

  public boolean isCancelled() {
    return cancelled;
  }

  /**
   * Runs {@code listener} once when cancelled: at once (on this thread) when already cancelled.
   * Listeners must be quick and must not block.
   */
  public void onCancel(Runnable listener) {
    synchronized (this) {
      if (!cancelled) {
        listeners.add(listener);
        return;
      }
    }
    listener.run();
  }

  /** @throws AnalysisCancelledException when cancelled, naming what was about to start */
  public void check(String what) {
    if (cancelled) {
      throw new AnalysisCancelledException("the client cancelled the analysis before " + what);
    }
  }
}
