package io.spoils.gateway.ingest;

import io.spoils.gateway.failure.Failure;
import io.spoils.proto.v1.AnalysisEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The most recent analyses of series received by the C-STORE listener, kept in memory so clients
 * can fetch their results ({@code GET /v1/received}). Bounded: beyond {@code capacity} entries the
 * oldest finished one is dropped (or the oldest of all if none has finished). Holds no patient
 * data: ids are server-generated, events are the analysis's own. Thread-safe.
 */
public final class ReceivedAnalyses {

  /** Default entries kept. */
  public static final int DEFAULT_CAPACITY = 100;

  /** Where one received series is. */
  public enum State {
    /** Instances are arriving. */
    RECEIVING,
    /** The series is complete and waits for, or is in, its analysis. */
    ANALYSING,
    /** The analysis ended with a summary. */
    DONE,
    /** The series could not be analysed ({@link Entry#error()} says why). */
    FAILED
  }

  /**
   * A snapshot of one received series.
   *
   * @param id server-generated analysis id (a random UUID)
   * @param state where it is
   * @param filesReceived instances received for it so far
   * @param receivedAt when its first instance arrived
   * @param completedAt when reception ended (association released or idle), if it has
   * @param finishedAt when its analysis ended, if it has
   * @param events the analysis's events so far, in order
   * @param error why it failed, when {@code state} is FAILED
   */
  public record Entry(String id, State state, int filesReceived, Instant receivedAt,
      Optional<Instant> completedAt, Optional<Instant> finishedAt, List<AnalysisEvent> events,
      Optional<Failure> error) {

    /** The summary event, once there is one. */
    public Optional<AnalysisEvent> summary() {
      return events.isEmpty() || !events.get(events.size() - 1).hasSummary()
          ? Optional.empty() : Optional.of(events.get(events.size() - 1));
    }
  }

  private static final class Mutable {
    final String id = UUID.randomUUID().toString();
    final Instant receivedAt = Instant.now();
    State state = State.RECEIVING;
    int files;
    Instant completedAt;
    Instant finishedAt;
    final List<AnalysisEvent> events = new ArrayList<>();
    Failure error;

    Entry snapshot() {
      return new Entry(id, state, files, receivedAt, Optional.ofNullable(completedAt),
          Optional.ofNullable(finishedAt), List.copyOf(events), Optional.ofNullable(error));
    }
  }

  private final int capacity;
  private final Map<String, Mutable> entries = new LinkedHashMap<>();

  /** @param capacity entries kept, &gt;= 1 */
  public ReceivedAnalyses(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1");
    }
    this.capacity = capacity;
  }

  /** A new entry in RECEIVING with no file yet; returns its id. */
  public synchronized String open() {
    Mutable m = new Mutable();
    entries.put(m.id, m);
    if (entries.size() > capacity) {
      evictOne();
    }
    return m.id;
  }

  private void evictOne() {
    Iterator<Mutable> it = entries.values().iterator();
    while (it.hasNext()) {
      State s = it.next().state;
      if (s == State.DONE || s == State.FAILED) {
        it.remove();
        return;
      }
    }
    entries.remove(entries.keySet().iterator().next());
  }

  /** Counts one more received instance. */
  public synchronized void fileReceived(String id) {
    with(id, m -> m.files++);
  }

  /** Reception ended; the analysis is next. */
  public synchronized void analysing(String id) {
    with(id, m -> {
      m.state = State.ANALYSING;
      m.completedAt = Instant.now();
    });
  }

  public synchronized void event(String id, AnalysisEvent event) {
    with(id, m -> m.events.add(event));
  }

  public synchronized void done(String id) {
    with(id, m -> {
      m.state = State.DONE;
      m.finishedAt = Instant.now();
    });
  }

  public synchronized void failed(String id, Failure error) {
    with(id, m -> {
      m.state = State.FAILED;
      m.error = error;
      m.finishedAt = Instant.now();
      if (m.completedAt == null) {
        m.completedAt = m.finishedAt;
      }
    });
  }

  private void with(String id, java.util.function.Consumer<Mutable> change) {
    Mutable m = entries.get(id);
    if (m != null) {
      change.accept(m);
    }
  }

  public synchronized Optional<Entry> get(String id) {
    return Optional.ofNullable(entries.get(id)).map(Mutable::snapshot);
  }

  /** Every entry, newest first. */
  public synchronized List<Entry> list() {
    List<Entry> out = new ArrayList<>(entries.size());
    entries.values().forEach(m -> out.add(0, m.snapshot()));
    return out;
  }
}
