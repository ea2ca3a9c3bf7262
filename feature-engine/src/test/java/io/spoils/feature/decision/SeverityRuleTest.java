package io.spoils.feature.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spoils.feature.InvalidInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SeverityRuleTest {

  @ParameterizedTest(name = "modic={0} up={1} low={2} spondy={3} hern={4} narrow={5} bulge={6}"
      + " pf={7} -> score {8} {9}")
  @CsvSource({
      // modic, upper, lower, spondylolisthesis, herniation, narrowing, bulging, pfirrmann, score, class
      "0,0,0,0,0,0,0,3,0,3L",
      "0,0,0,0,0,0,1,3,0,3L", // bulging is not scored
      "0,0,0,0,0,1,1,3,1,3L", // score 1 is still L
      "0,1,1,0,0,0,0,3,2,3M", // score 2 -> M
      "2,1,1,0,0,0,0,4,3,4M", // modic type 2 counts once
      "3,0,0,0,0,0,0,4,1,4L", // modic type 3 counts once
      "1,1,1,0,0,1,0,4,4,4H", // score 4 -> H
      "2,1,1,1,1,1,1,5,6,5H", // maximum score
      "0,0,0,1,1,0,0,5,2,5M",
      "0,0,0,0,1,0,0,5,1,5L",
      "2,1,1,1,1,1,1,2,6,2L", // grade 2 is always L
      "2,1,1,1,1,1,1,1,6,1L", // grade 1 is always L
      "0,1,1,1,0,0,0,3,3,3M", // score 3 is still M
      "0,1,1,1,1,0,0,3,4,3H",
  })
  void classify_findingsTable(int modic, int upper, int lower, int spondy, int hern, int narrow,
      int bulge, int pfirrmann, int score, String label) {
    RadiologicalFindings f =
        new RadiologicalFindings(modic, upper, lower, spondy, hern, narrow, bulge, pfirrmann);
    assertEquals(score, SeverityRule.score(f));
    assertEquals(label, SeverityRule.classify(f).label());
  }

  @ParameterizedTest
  @CsvSource({"4,0,0,0,0,0,0,3", "0,2,0,0,0,0,0,3", "0,0,0,0,0,0,-1,3", "0,0,0,0,0,0,0,0",
      "0,0,0,0,0,0,0,6"})
  void findings_outOfRange(int modic, int upper, int lower, int spondy, int hern, int narrow,
      int bulge, int pfirrmann) {
    assertThrows(InvalidInputException.class, () ->
        new RadiologicalFindings(modic, upper, lower, spondy, hern, narrow, bulge, pfirrmann));
  }
}
