package io.spoils.gateway.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeadlineTest {

  @Test
  void timerMillis_fractionLeft_timerEndsNoEarlierThanTheDeadline() {
    // half a millisecond past a whole one: rounding down would end the timer 0.5 ms early
    Deadline deadline = new Deadline(System.nanoTime() + 300_500_000L);
    long ms = deadline.timerMillis();
    long scheduledAt = System.nanoTime();
    assertTrue(scheduledAt + ms * 1_000_000L - deadline.nanoTime() >= 0,
        ms + " ms from now ends before the deadline");
    assertTrue(ms <= 301, "rounded up by at most one millisecond: " + ms);
  }

  @Test
  void timerMillis_expired_oneMillisecond() {
    assertEquals(1, new Deadline(System.nanoTime() - 5_000_000L).timerMillis());
  }

  @Test
  void expired_pastAndFuture() {
    assertTrue(new Deadline(System.nanoTime() - 1).expired());
    assertFalse(Deadline.after(Duration.ofMinutes(1)).expired());
    assertEquals(Duration.ZERO, new Deadline(System.nanoTime() - 1).remaining());
  }

  @Test
  void after_negative_rejected() {
    assertThrows(IllegalArgumentException.class, () -> Deadline.after(Duration.ofMillis(-1)));
  }
}
