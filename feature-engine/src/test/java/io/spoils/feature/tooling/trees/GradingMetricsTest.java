package io.spoils.feature.tooling.trees;

import static io.spoils.feature.decision.DiscClass.P2L;
import static io.spoils.feature.decision.DiscClass.P3L;
import static io.spoils.feature.decision.DiscClass.P3M;
import static io.spoils.feature.decision.DiscClass.P5H;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class GradingMetricsTest {

  @Test
  void of_handComputed() {
    // reference: 3L 3L 3M 2L ; predicted: 3L 3M 3M 5H
    GradingMetrics m = GradingMetrics.of(List.of(P3L, P3L, P3M, P2L), List.of(P3L, P3M, P3M, P5H));
    assertEquals(4, m.n());
    assertEquals(0.5, m.accuracy(), 1e-12);
    // recalls: 3L 1/2, 3M 1/1, 2L 0/1 -> mean over the 3 present classes
    assertEquals((0.5 + 1 + 0) / 3, m.balancedAccuracy(), 1e-12);
    assertEquals(0.75, m.pfirrmannExact(), 1e-12);
    assertEquals(0.75, m.pfirrmannWithinOne(), 1e-12);
    assertEquals(1, m.confusion()[P3L.ordinal()][P3M.ordinal()]);
    assertEquals(1, m.confusion()[P2L.ordinal()][P5H.ordinal()]);
    int[] counts = m.referenceCounts();
    assertArrayEquals(new int[] {0, 1, 2, 1, 0, 0, 0, 0, 0, 0, 0}, counts);
  }

  @Test
  void of_mismatchedLengths() {
    assertThrows(IllegalArgumentException.class, () -> GradingMetrics.of(List.of(P3L), List.of()));
    assertThrows(IllegalArgumentException.class, () -> GradingMetrics.of(List.of(), List.of()));
  }
}
