package io.spoils.gateway.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.InvalidInputException;
import io.spoils.gateway.config.RetentionOptions;
import io.spoils.gateway.failure.Failure;
import io.spoils.proto.v1.AnalysisEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link RecentAnalyses}' bounded retention and {@link RetainedAnalysis}' listeners. */
class RecentAnalysesTest {

  /** A clock the test moves. */
  private static final class TestClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final TestClock clock = new TestClock();
  private final RecentAnalyses store = new RecentAnalyses(
      new RetentionOptions(2, Duration.ofSeconds(60)), clock);

  @Test
  void recentAnalyses_beyondCount_dropsOldestFinishedNeverRunning() {
    RetainedAnalysis running = store.open("running");
    for (String id : List.of("a", "b", "c")) {
      store.finish(store.open(id), Optional.empty());
      clock.now = clock.now.plusSeconds(1);
    }
    assertTrue(store.get("a").isEmpty(), "the oldest finished one goes first");
    assertTrue(store.get("b").isPresent() && store.get("c").isPresent());
    assertTrue(store.get("running").isPresent());
    assertEquals(RetainedAnalysis.State.RUNNING, running.state());
    assertEquals(3, store.size());
  }

  @Test
  void recentAnalyses_afterRetention_dropsFinishedOnly() {
    RetainedAnalysis done = store.open("done");
    store.open("running");
    store.finish(done, Optional.of(Failure.of(new InvalidInputException("bad"))));
    clock.now = clock.now.plusSeconds(60);
    assertTrue(store.get("done").isPresent(), "kept for exactly the retention");
    clock.now = clock.now.plusSeconds(1);
    assertTrue(store.get("done").isEmpty());
    assertTrue(store.get("running").isPresent());
    assertTrue(store.get(null).isEmpty() && store.get("").isEmpty());
  }

  @Test
  void retainedAnalysis_listener_getsLaterEventsThenEndOnce() {
    RetainedAnalysis a = store.open("x");
    a.add(event(1));
    List<String> told = new ArrayList<>();
    RetainedAnalysis.Listener listener = new RetainedAnalysis.Listener() {
      @Override
      public void event(AnalysisEvent e) {
        told.add("event " + e.getSequence());
      }

      @Override
      public void end(Optional<Failure> failure) {
        told.add("end " + failure.isPresent());
      }
    };
    RetainedAnalysis.Snapshot s = a.subscribe(listener);
    assertEquals(1, s.events().size());
    a.add(event(2));
    store.finish(a, Optional.empty());
    store.finish(a, Optional.of(Failure.of(new InvalidInputException("late"))));
    a.add(event(3));
    assertEquals(List.of("event 2", "end false"), told);
    assertEquals(RetainedAnalysis.State.DONE, a.state());
    assertEquals(2, a.snapshot().events().size());
    assertThrows(IllegalStateException.class, () -> store.open("x"));
  }

  @Test
  void retentionOptions_fromEnvironment_defaultsAndChecks() {
    assertEquals(RetentionOptions.defaults(), RetentionOptions.fromEnvironment(Map.of()));
    RetentionOptions set = RetentionOptions.fromEnvironment(Map.of(
        RetentionOptions.MAX_ANALYSES_ENV, " 3 ", RetentionOptions.RETENTION_ENV, "30"));
    assertEquals(new RetentionOptions(3, Duration.ofSeconds(30)), set);
    for (String bad : List.of("0", "-1", "x", "1.5", "99999999999")) {
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> RetentionOptions.fromEnvironment(Map.of(RetentionOptions.RETENTION_ENV, bad)));
      assertTrue(e.getMessage().startsWith(RetentionOptions.RETENTION_ENV), e.getMessage());
    }
  }

  private static AnalysisEvent event(int sequence) {
    return AnalysisEvent.newBuilder().setAnalysisId("x").setSequence(sequence).build();
  }
}
