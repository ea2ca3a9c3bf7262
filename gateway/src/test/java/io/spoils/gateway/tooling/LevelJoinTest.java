package io.spoils.gateway.tooling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.spoils.feature.anatomy.DiscLevel;
import io.spoils.feature.decision.DiscClass;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LevelJoinTest {

  @Test
  void level_ivdLabelsOneToSixAreL5S1UpToT12L1() {
    assertEquals(DiscLevel.L5_S1, LevelJoin.level(1));
    assertEquals(DiscLevel.L4_L5, LevelJoin.level(2));
    assertEquals(DiscLevel.L1_L2, LevelJoin.level(5));
    assertEquals(DiscLevel.T12_L1, LevelJoin.level(6));
    assertNull(LevelJoin.level(0), "an extra lower disc has no named level");
    assertNull(LevelJoin.level(7), "thoracic");
    for (int label = 1; label <= 6; label++) {
      assertEquals(label, LevelJoin.ivdLabel(LevelJoin.level(label)));
    }
  }

  @Test
  void join_countsFoundJoinedMissingAndUngraded() {
    // graded: 0 (skipped), 1 L5-S1, 2 L4-L5, 3 L3-L4, 7 (thoracic, skipped)
    Map<Integer, DiscClass> grades = Map.of(0, DiscClass.P2L, 1, DiscClass.P4M,
        2, DiscClass.P3L, 3, DiscClass.P2L, 7, DiscClass.P1L);
    // found: L5-S1, L3-L4, L2-L3 (no grade), thoracic
    LevelJoin.Outcome<DiscLevel> o = LevelJoin.join(grades, List.of(DiscLevel.L5_S1,
        DiscLevel.L3_L4, DiscLevel.L2_L3, DiscLevel.THORACIC), level -> level);
    assertEquals(3, o.graded());
    assertEquals(3, o.found());
    assertEquals(2, o.joined().size());
    assertEquals(1, o.missing(), "L4-L5 not found");
    assertEquals(1, o.ungraded(), "L2-L3 has no grade");
    assertEquals(1, o.joined().get(0).ivdLabel());
    assertEquals(DiscClass.P4M, o.joined().get(0).reference());
    assertEquals(DiscLevel.L3_L4, o.joined().get(1).disc());
  }

  @Test
  void vendorAndField_normalised() {
    assertEquals("Philips", GradedImages.vendor("Philips Medical Systems"));
    assertEquals("Philips", GradedImages.vendor("Philips Healthcare"));
    assertEquals("Siemens", GradedImages.vendor("SIEMENS"));
    assertEquals("1.5 T", GradedImages.field(1.5));
    assertEquals("3 T", GradedImages.field(3.0));
  }
}
