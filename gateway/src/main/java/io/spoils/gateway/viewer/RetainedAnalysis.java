package io.spoils.gateway.viewer;

import io.spoils.gateway.failure.Failure;
import io.spoils.proto.v1.AnalysisEvent;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One submitted analysis as {@link RecentAnalyses} keeps it: its events so far (in sequence
 * order, the segmentation event without its mask), its state, its failure, and the analysed
 * slice and label map as PNGs once the segmentation event has been added. Listeners get the
 * events that follow their subscription and the end.
 *
 * <p>Thread-safe: the analysis adds on its context while readers on other event loops read and
 * subscribe; listeners are called outside the lock, on the adding thread, so they hop to their
 * own context themselves. Holds no patient data: ids are the server's own, the PNGs carry pixels
 * only.
 */
public final class RetainedAnalysis {

  /** Where the analysis stands. */
  public enum State { RUNNING, DONE, FAILED }

  /** Told of each event added after subscribing, then of the end; called on the adder's thread. */
  public interface Listener {
    void event(AnalysisEvent event);

    /** @param failure empty when the analysis ended with its summary */
    void end(Optional<Failure> failure);
  }

  /**
   * What a subscriber starts from, taken atomically with its subscription.
   *
   * @param events the events added so far
   * @param state the state then; when not RUNNING the listener was not registered
   * @param failure the failure, when FAILED
   */
  public record Snapshot(List<AnalysisEvent> events, State state, Optional<Failure> failure) { }

  private final String id;
  private final Instant submittedAt;
  private final List<AnalysisEvent> events = new ArrayList<>();
  private final List<Listener> listeners = new ArrayList<>();
  private State state = State.RUNNING;
  private Failure failure;
  private Instant finishedAt;
  private Future<Buffer> slice;
  private Buffer labels;

  RetainedAnalysis(String id, Instant submittedAt) {
    this.id = Objects.requireNonNull(id, "id");
    this.submittedAt = Objects.requireNonNull(submittedAt, "submittedAt");
  }

  /** The analysis id (the events' {@code analysis_id}). */
  public String id() {
    return id;
  }

  public Instant submittedAt() {
    return submittedAt;
  }

  public synchronized State state() {
    return state;
  }

  /** When it ended; empty while running. */
  public synchronized Optional<Instant> finishedAt() {
    return Optional.ofNullable(finishedAt);
  }

  public synchronized Optional<Failure> failure() {
    return Optional.ofNullable(failure);
  }

  /** The analysed slice as an 8-bit greyscale PNG, rendering or rendered; empty before. */
  public synchronized Optional<Future<Buffer>> slicePng() {
    return Optional.ofNullable(slice);
  }

  /** The label map (class ids, 8-bit greyscale PNG); empty before the segmentation event. */
  public synchronized Optional<Buffer> labelsPng() {
    return Optional.ofNullable(labels);
  }

  /** Sets the images of the segmentation; call before adding its event. */
  synchronized void images(Future<Buffer> slicePng, Buffer labelsPng) {
    this.slice = slicePng;
    this.labels = labelsPng;
  }

  /** Every event so far, the state and the failure, taken together. */
  public synchronized Snapshot snapshot() {
    return new Snapshot(List.copyOf(events), state, Optional.ofNullable(failure));
  }

  /** As {@link #snapshot()}, registering {@code listener} when still running. */
  public synchronized Snapshot subscribe(Listener listener) {
    if (state == State.RUNNING) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
    }
    return snapshot();
  }

  /** Stops telling {@code listener}. */
  public synchronized void unsubscribe(Listener listener) {
    listeners.remove(listener);
  }

  /** Adds the next event and tells the listeners. */
  void add(AnalysisEvent event) {
    List<Listener> told;
    synchronized (this) {
      if (state != State.RUNNING) {
        return;
      }
      events.add(event);
      told = List.copyOf(listeners);
    }
    told.forEach(l -> l.event(event));
  }

  /** Ends the analysis: with its summary when {@code cause} is null, else failed. */
  void finish(Failure cause, Instant at) {
    List<Listener> told;
    synchronized (this) {
      if (state != State.RUNNING) {
        return;
      }
      state = cause == null ? State.DONE : State.FAILED;
      failure = cause;
      finishedAt = at;
      told = List.copyOf(listeners);
      listeners.clear();
    }
    told.forEach(l -> l.end(Optional.ofNullable(cause)));
  }
}
