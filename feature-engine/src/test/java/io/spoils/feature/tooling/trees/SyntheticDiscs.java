package io.spoils.feature.tooling.trees;

import io.spoils.feature.anatomy.DiscLevel;
import io.spoils.feature.decision.DiscClass;
import io.spoils.feature.geometry.DiscGeometry;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Labelled synthetic discs whose class is a function of the features: the Pfirrmann grade sets the
 * disc-to-CSF signal ratio (darker with grade) and the severity sets the height index (lower when
 * more severe), each with noise well below the gap between classes.
 */
public final class SyntheticDiscs {
  private SyntheticDiscs() {}

  public static List<TrainingSample> samples(int patients, int discsPerPatient, long seed) {
    Random random = new Random(seed);
    List<TrainingSample> out = new ArrayList<>();
    for (int p = 0; p < patients; p++) {
      for (int d = 0; d < discsPerPatient; d++) {
        DiscClass c = DiscClass.ofIndex(random.nextInt(DiscClass.COUNT));
        out.add(new TrainingSample("p" + p, disc(c, d, random), c));
      }
    }
    return out;
  }

  public static DiscGeometry disc(DiscClass c, int indexFromBottom, Random random) {
    double signal = 1.1 - 0.2 * c.pfirrmann() + 0.03 * random.nextGaussian();
    double heightIndex = 0.45 - 0.12 * c.severity().ordinal() + 0.015 * random.nextGaussian();
    double height = 6 + 4 * random.nextDouble();
    double width = 30 + 10 * random.nextDouble();
    return new DiscGeometry(DiscLevel.fromBottom(indexFromBottom), indexFromBottom,
        250, 300 - 40 * indexFromBottom, 5 * random.nextGaussian(), height * 0.9, height,
        height * 0.8, height, width, width, height * width, heightIndex, 120 * signal, signal,
        signal * 1.3, 0.1 * random.nextGaussian(), 12 + random.nextGaussian(),
        random.nextBoolean() ? Double.NaN : height * width * 10);
  }
}
