package io.spoils.feature.decision;

import static io.spoils.feature.decision.TreatmentStratum.CONSERVATIVE;
import static io.spoils.feature.decision.TreatmentStratum.EPIDURAL_STEROID_INJECTION;
import static io.spoils.feature.decision.TreatmentStratum.NOT_GRADED;
import static io.spoils.feature.decision.TreatmentStratum.SURGICAL_CONSULTATION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.anatomy.DiscLevel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class TreatmentRuleTest {
  private final TreatmentRule rule = TreatmentRule.withDefaults();

  /** Expected stratum per class: {label, stratum with mild/moderate scores, stratum with high}. */
  private static final String[][] EXPECTED = {
      {"1L", "CONSERVATIVE", "CONSERVATIVE"},
      {"2L", "CONSERVATIVE", "CONSERVATIVE"},
      {"3L", "CONSERVATIVE", "CONSERVATIVE"},
      {"3M", "EPIDURAL_STEROID_INJECTION", "EPIDURAL_STEROID_INJECTION"},
      {"3H", "EPIDURAL_STEROID_INJECTION", "SURGICAL_CONSULTATION"},
      {"4L", "EPIDURAL_STEROID_INJECTION", "EPIDURAL_STEROID_INJECTION"},
      {"4M", "EPIDURAL_STEROID_INJECTION", "SURGICAL_CONSULTATION"},
      {"4H", "EPIDURAL_STEROID_INJECTION", "SURGICAL_CONSULTATION"},
      {"5L", "EPIDURAL_STEROID_INJECTION", "EPIDURAL_STEROID_INJECTION"},
      {"5M", "EPIDURAL_STEROID_INJECTION", "SURGICAL_CONSULTATION"},
      {"5H", "EPIDURAL_STEROID_INJECTION", "SURGICAL_CONSULTATION"},
  };

  /** ODI/NRS bands with whether they are high under the defaults; includes both exact edges. */
  private static final Object[][] BANDS = {
      {0.0, 0, false}, {40.0, 6, false}, {40.01, 0, true}, {0.0, 7, true}, {39.99, 6, false},
      {40.0, 7, true}, {100.0, 10, true}, {20.0, 3, false},
  };

  static Stream<Arguments> classesTimesBands() {
    List<Arguments> args = new ArrayList<>();
    for (String[] row : EXPECTED) {
      for (Object[] band : BANDS) {
        boolean high = (Boolean) band[2];
        args.add(Arguments.of(row[0], band[0], band[1], high,
            TreatmentStratum.valueOf(high ? row[2] : row[1])));
      }
    }
    return args.stream();
  }

  @ParameterizedTest(name = "{0} ODI {1} NRS {2} -> {4}")
  @MethodSource("classesTimesBands")
  void decide_classTimesScoreBand(String label, double odi, int nrs, boolean high,
      TreatmentStratum expected) {
    DiscClass c = DiscClass.ofLabel(label);
    ClinicalScores scores = new ClinicalScores(odi, nrs);
    assertEquals(high, rule.options().isHigh(scores));
    DiscDecision d = rule.decide(new LevelGrade(DiscLevel.L4_L5, c), scores);
    assertEquals(expected, d.stratum());
    assertEquals(c, d.discClass());
    assertTrue(d.reason().startsWith("L4-L5 is " + label), d.reason());
    assertTrue(d.reason().contains(scores.describe()), d.reason());
    boolean conservativeClass = c.ordinal() <= DiscClass.P3L.ordinal();
    assertEquals(conservativeClass && high, d.discordant());
    if (d.discordant()) {
      assertTrue(d.reason().contains("discordance"), d.reason());
    }
    if (!high && (c == DiscClass.P3H || c.ordinal() >= DiscClass.P4M.ordinal())
        && c != DiscClass.P5L) {
      assertTrue(d.reason().contains("one step less invasive"), d.reason());
    }
  }

  @Test
  void describe_keepsEdgeDigits() {
    assertEquals("ODI 40.01 %, NRS 7/10", new ClinicalScores(40.01, 7).describe());
    assertEquals("ODI > 40 % or NRS >= 7", TreatmentOptions.defaults().describe());
  }

  @Test
  void decide_customThresholds() {
    TreatmentRule strict = new TreatmentRule(new TreatmentOptions(60.0, 9));
    ClinicalScores scores = new ClinicalScores(50.0, 8);
    assertEquals(EPIDURAL_STEROID_INJECTION,
        strict.decide(new LevelGrade(DiscLevel.L5_S1, DiscClass.P5H), scores).stratum());
    assertEquals(SURGICAL_CONSULTATION,
        rule.decide(new LevelGrade(DiscLevel.L5_S1, DiscClass.P5H), scores).stratum());
  }

  @ParameterizedTest
  @CsvSource({"-0.01,5", "100.01,5", "NaN,5", "Infinity,5", "50,-1", "50,11"})
  void clinicalScores_outOfRange(double odi, int nrs) {
    assertThrows(InvalidInputException.class, () -> new ClinicalScores(odi, nrs));
  }

  @ParameterizedTest
  @CsvSource({"-1,7", "101,7", "40,-1", "40,11"})
  void treatmentOptions_outOfRange(double odi, int nrs) {
    assertThrows(InvalidInputException.class, () -> new TreatmentOptions(odi, nrs));
  }

  @Test
  void decide_ungradedAndThoracic() {
    ClinicalScores scores = new ClinicalScores(80, 9);
    DiscDecision ungraded = rule.decide(new LevelGrade(DiscLevel.L3_L4, null), scores);
    assertEquals(NOT_GRADED, ungraded.stratum());
    assertTrue(ungraded.reason().contains("no grade"));
    DiscDecision thoracic = rule.decide(new LevelGrade(DiscLevel.THORACIC, DiscClass.P5H), scores);
    assertEquals(NOT_GRADED, thoracic.stratum());
    assertNull(thoracic.discClass());
  }

  @Test
  void decideStudy_mostInvasiveWins() {
    List<LevelGrade> grades = List.of(
        new LevelGrade(DiscLevel.L5_S1, DiscClass.P4L),
        new LevelGrade(DiscLevel.L4_L5, DiscClass.P4H),
        new LevelGrade(DiscLevel.L3_L4, DiscClass.P2L),
        new LevelGrade(DiscLevel.L2_L3, null),
        new LevelGrade(DiscLevel.THORACIC, DiscClass.P5H));
    StudyDecision s = rule.decideStudy(grades, new ClinicalScores(45, 5));
    assertEquals(SURGICAL_CONSULTATION, s.stratum());
    assertEquals(DiscLevel.L4_L5, s.deciding().level());
    assertTrue(s.reason().contains("L4-L5 (4H)"), s.reason());
    assertTrue(s.reason().contains("ODI 45 %, NRS 5/10"), s.reason());
    assertEquals(List.of(EPIDURAL_STEROID_INJECTION, SURGICAL_CONSULTATION, CONSERVATIVE,
        NOT_GRADED, NOT_GRADED), s.discs().stream().map(DiscDecision::stratum).toList());
  }

  @Test
  void decideStudy_tieBrokenByMoreDegeneratedClass() {
    List<LevelGrade> grades = List.of(
        new LevelGrade(DiscLevel.L5_S1, DiscClass.P3M),
        new LevelGrade(DiscLevel.L4_L5, DiscClass.P5L),
        new LevelGrade(DiscLevel.L3_L4, DiscClass.P4L));
    StudyDecision s = rule.decideStudy(grades, new ClinicalScores(10, 2));
    assertEquals(EPIDURAL_STEROID_INJECTION, s.stratum());
    assertEquals(DiscLevel.L4_L5, s.deciding().level());
  }

  @Test
  void decideStudy_discordanceCarriedToStudy() {
    StudyDecision s = rule.decideStudy(Arrays.asList(
        new LevelGrade(DiscLevel.L5_S1, DiscClass.P3L),
        new LevelGrade(DiscLevel.L4_L5, DiscClass.P1L)), new ClinicalScores(70, 9));
    assertEquals(CONSERVATIVE, s.stratum());
    assertTrue(s.deciding().discordant());
    assertTrue(s.reason().contains("discordance"), s.reason());
  }

  @Test
  void decideStudy_noGradedDisc() {
    ClinicalScores scores = new ClinicalScores(70, 9);
    for (List<LevelGrade> grades : List.of(List.<LevelGrade>of(),
        List.of(new LevelGrade(DiscLevel.L5_S1, null),
            new LevelGrade(DiscLevel.THORACIC, DiscClass.P4H)))) {
      StudyDecision s = rule.decideStudy(grades, scores);
      assertEquals(NOT_GRADED, s.stratum());
      assertNull(s.deciding());
      assertTrue(s.reason().contains("No disc"), s.reason());
      assertEquals(grades.size(), s.discs().size());
    }
  }

  @Test
  void decideStudy_missingInput() {
    assertThrows(InvalidInputException.class,
        () -> rule.decideStudy(null, new ClinicalScores(1, 1)));
    assertThrows(InvalidInputException.class,
        () -> rule.decideStudy(List.of(new LevelGrade(DiscLevel.L5_S1, DiscClass.P1L)), null));
    assertFalse(rule.decideStudy(List.of(new LevelGrade(DiscLevel.L5_S1, DiscClass.P1L)),
        new ClinicalScores(1, 1)).discs().isEmpty());
  }
}
