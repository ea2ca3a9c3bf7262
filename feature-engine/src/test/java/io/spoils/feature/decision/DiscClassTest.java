package io.spoils.feature.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spoils.feature.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DiscClassTest {

  @Test
  void labels_modelOutputOrder() {
    assertEquals(List.of("1L", "2L", "3L", "3M", "3H", "4L", "4M", "4H", "5L", "5M", "5H"),
        DiscClass.labels());
    assertEquals(DiscClass.COUNT, DiscClass.values().length);
  }

  @ParameterizedTest
  @CsvSource({"1,LOW,1L", "2,LOW,2L", "3,LOW,3L", "3,MEDIUM,3M", "3,HIGH,3H", "4,LOW,4L",
      "4,MEDIUM,4M", "4,HIGH,4H", "5,LOW,5L", "5,MEDIUM,5M", "5,HIGH,5H"})
  void of_validCombination(int grade, Severity severity, String label) {
    DiscClass c = DiscClass.of(grade, severity);
    assertEquals(label, c.label());
    assertEquals(grade, c.pfirrmann());
    assertEquals(severity, c.severity());
    assertEquals(c, DiscClass.ofLabel(label));
    assertEquals(c, DiscClass.ofIndex(c.ordinal()));
  }

  @ParameterizedTest
  @CsvSource({"1,MEDIUM", "1,HIGH", "2,MEDIUM", "2,HIGH", "0,LOW", "6,LOW"})
  void of_invalidCombination(int grade, Severity severity) {
    assertThrows(InvalidInputException.class, () -> DiscClass.of(grade, severity));
  }

  @Test
  void ofLabel_unknown() {
    assertThrows(InvalidInputException.class, () -> DiscClass.ofLabel("2H"));
  }
}
