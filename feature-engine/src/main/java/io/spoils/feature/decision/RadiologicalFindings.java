package io.spoils.feature.decision;

import io.spoils.feature.InvalidInputException;

/**
 * The radiological findings of one disc, as graded in SPIDER's {@code radiological_gradings.csv}
 * (columns of {@code gradings.csv}). All are integer codes, not measurements.
 *
 * @param modic Modic endplate change type, 0 (none) to 3
 * @param upperEndplate upper endplate change, 0/1
 * @param lowerEndplate lower endplate change, 0/1
 * @param spondylolisthesis 0/1
 * @param herniation disc herniation, 0/1
 * @param narrowing disc narrowing, 0/1
 * @param bulging disc bulging, 0/1 (recorded, not part of the severity score)
 * @param pfirrmann Pfirrmann grade, 1-5
 */
public record RadiologicalFindings(
    int modic,
    int upperEndplate,
    int lowerEndplate,
    int spondylolisthesis,
    int herniation,
    int narrowing,
    int bulging,
    int pfirrmann) {

  public RadiologicalFindings {
    range("modic", modic, 3);
    range("upper endplate", upperEndplate, 1);
    range("lower endplate", lowerEndplate, 1);
    range("spondylolisthesis", spondylolisthesis, 1);
    range("herniation", herniation, 1);
    range("narrowing", narrowing, 1);
    range("bulging", bulging, 1);
    if (pfirrmann < 1 || pfirrmann > 5) {
      throw new InvalidInputException("Pfirrmann grade must be 1-5, got " + pfirrmann);
    }
  }

  private static void range(String name, int value, int max) {
    if (value < 0 || value > max) {
      throw new InvalidInputException(name + " must be 0-" + max + ", got " + value);
    }
  }
}
