package io.spoils.feature.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.tooling.dicom.MrParams;
import org.junit.jupiter.api.Test;

class OrientationTest {
  @Test
  void classify_cardinalPlanes() {
    assertEquals(Orientation.SAGITTAL, Orientation.classify(MrParams.sagittal()));
    assertEquals(Orientation.AXIAL, Orientation.classify(MrParams.axial()));
    assertEquals(Orientation.CORONAL, Orientation.classify(MrParams.coronal()));
    assertEquals(Orientation.UNKNOWN, Orientation.classify(null));
  }

  @Test
  void classify_sagittalTiltedWithinTolerance() {
    assertEquals(Orientation.SAGITTAL, Orientation.classify(sagittalTiltedAboutZ(25)));
    assertEquals(Orientation.SAGITTAL, Orientation.classify(sagittalTiltedAboutZ(-25)));
  }

  @Test
  void classify_beyondToleranceIsOblique() {
    assertEquals(Orientation.OBLIQUE, Orientation.classify(sagittalTiltedAboutZ(40)));
    assertEquals(Orientation.OBLIQUE, Orientation.classify(sagittalTiltedAboutZ(45)));
    // 65 degrees from sagittal is 25 degrees from coronal: coronal.
    assertEquals(Orientation.CORONAL, Orientation.classify(sagittalTiltedAboutZ(65)));
  }

  @Test
  void normal_isRowCrossColumn() {
    assertArrayEquals(new double[] {0, 0, 1}, Orientation.normal(MrParams.axial()), 1e-12);
    assertArrayEquals(new double[] {-1, 0, 0}, Orientation.normal(MrParams.sagittal()), 1e-12);
  }

  @Test
  void normal_slightlyUnnormalisedCosinesAccepted() {
    assertArrayEquals(new double[] {0, 0, 1},
        Orientation.normal(new double[] {1.00001, 0, 0, 0, 0.99999, 0}), 1e-9);
  }

  @Test
  void normal_invalidCosinesRejected() {
    assertThrows(InvalidInputException.class, () -> Orientation.normal(new double[] {1, 0, 0, 1, 0, 0}));
    assertThrows(InvalidInputException.class, () -> Orientation.normal(new double[] {0, 0, 0, 0, 1, 0}));
    assertThrows(InvalidInputException.class, () -> Orientation.normal(new double[] {1, 0, 0}));
  }

  /** Sagittal plane rotated about the head-foot axis by {@code deg}: normal leaves x towards y. */
  static double[] sagittalTiltedAboutZ(double deg) {
    double a = Math.toRadians(deg);
    return new double[] {-Math.sin(a), Math.cos(a), 0, 0, 0, -1};
  }

  @Test
  void anteriorOnRight_rowTowardsAnterior() {
    // the usual sagittal: rows towards posterior (+y), columns towards the feet (-z)
    org.junit.jupiter.api.Assertions.assertFalse(Orientation.anteriorOnRight(MrParams.sagittal()));
    org.junit.jupiter.api.Assertions.assertTrue(Orientation.anteriorOnRight(
        new double[] {0, -1, 0, 0, 0, -1}));
    org.junit.jupiter.api.Assertions.assertTrue(Orientation.anteriorOnRight(
        new double[] {0.1, -0.98, 0.17, 0, 0.17, -0.98}));
    // rows along the head-foot axis (an image turned by 90 degrees): not a left-right question
    org.junit.jupiter.api.Assertions.assertFalse(Orientation.anteriorOnRight(
        new double[] {0, 0, -1, 0, -1, 0}));
    org.junit.jupiter.api.Assertions.assertFalse(Orientation.anteriorOnRight(null));
  }

  @Test
  void headUp_columnsTowardsTheFeet() {
    org.junit.jupiter.api.Assertions.assertTrue(Orientation.headUp(MrParams.sagittal()));
    org.junit.jupiter.api.Assertions.assertTrue(Orientation.headUp(null));
    // turned by 90 degrees: columns along anterior-posterior
    org.junit.jupiter.api.Assertions.assertFalse(Orientation.headUp(
        new double[] {0, 0, -1, 0, 1, 0}));
    // upside down: columns towards the head
    org.junit.jupiter.api.Assertions.assertFalse(Orientation.headUp(
        new double[] {0, 1, 0, 0, 0, 1}));
  }
}
