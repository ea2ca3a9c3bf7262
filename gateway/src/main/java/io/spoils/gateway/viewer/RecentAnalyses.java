package io.spoils.gateway.viewer;

import io.spoils.gateway.config.RetentionOptions;
import io.spoils.gateway.failure.Failure;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The submitted analyses the gateway keeps, in memory, by id: every running one, and at most
 * {@link RetentionOptions#maxAnalyses()} finished ones for at most
 * {@link RetentionOptions#retention()} after they ended (the oldest finished goes first). Running
 * analyses are never dropped: admission bounds their number. Expired entries are dropped on each
 * access, so no timer runs. Thread-safe.
 */
public final class RecentAnalyses {

  private final RetentionOptions options;
  private final Clock clock;
  private final Map<String, RetainedAnalysis> byId = new LinkedHashMap<>();

  public RecentAnalyses(RetentionOptions options) {
    this(options, Clock.systemUTC());
  }

  /** With {@code clock} telling the time (tests). */
  public RecentAnalyses(RetentionOptions options, Clock clock) {
    this.options = Objects.requireNonNull(options, "options");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public RetentionOptions options() {
    return options;
  }

  /**
   * A new running analysis with {@code id} (unique: the service's random UUID).
   *
   * @throws IllegalStateException when {@code id} is already kept
   */
  public synchronized RetainedAnalysis open(String id) {
    prune();
    if (byId.containsKey(id)) {
      throw new IllegalStateException("an analysis with this id is already kept");
    }
    RetainedAnalysis a = new RetainedAnalysis(id, clock.instant());
    byId.put(id, a);
    return a;
  }

  /** The analysis with {@code id}, when kept; any string may be asked for. */
  public synchronized Optional<RetainedAnalysis> get(String id) {
    prune();
    return Optional.ofNullable(id == null ? null : byId.get(id));
  }

  /** Ends {@code analysis}: done with its summary when {@code failure} is empty, else failed. */
  public void finish(RetainedAnalysis analysis, Optional<Failure> failure) {
    analysis.finish(failure.orElse(null), clock.instant());
    synchronized (this) {
      prune();
    }
  }

  /** How many analyses are kept now, running ones included. */
  public synchronized int size() {
    prune();
    return byId.size();
  }

  /** Drops the expired finished analyses, then the oldest finished ones beyond the count. */
  private void prune() {
    Instant oldest = clock.instant().minus(options.retention());
    List<RetainedAnalysis> finished = new ArrayList<>();
    for (Iterator<RetainedAnalysis> it = byId.values().iterator(); it.hasNext(); ) {
      RetainedAnalysis a = it.next();
      Optional<Instant> end = a.finishedAt();
      if (end.isPresent() && end.get().isBefore(oldest)) {
        it.remove();
      } else if (end.isPresent()) {
        finished.add(a);
      }
    }
    finished.sort(java.util.Comparator.comparing(a -> a.finishedAt().orElseThrow()));
    for (int i = 0; i < finished.size() - options.maxAnalyses(); i++) {
      byId.remove(finished.get(i).id());
    }
  }
}
