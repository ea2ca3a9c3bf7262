package io.spoils.feature.levels;

import io.spoils.feature.levels.LevelLabeller.DiscPiece;
import java.util.List;
import java.util.Locale;

/**
 * The warnings of the level fit ({@link LevelFit}). Each fires only on a finding: none fires on a
 * normal spine drawn in one piece per disc.
 * <ul>
 *   <li>{@code DISC_FRAGMENTS_MERGED}: disc pieces were joined into one disc.</li>
 *   <li>{@code DISC_CANDIDATE_IGNORED}: disc-labelled blobs that fit neither the disc spacing nor
 *       the disc size were left out.</li>
 *   <li>{@code DISC_LEVEL_SKIPPED}: two consecutive discs lie about two (or three) spacings
 *       apart; the level between them was not found and the others keep their names.</li>
 *   <li>{@code TRANSITIONAL_DISC_BELOW_L5_S1}: a disc-sized disc lies below the disc marked
 *       lumbosacral; it is left unnamed.</li>
 *   <li>{@code LUMBOSACRAL_MARK_IGNORED}: the lumbosacral-disc class marks a structure the fit
 *       could not name L5-S1; the lowest disc was named L5-S1 instead.</li>
 * </ul>
 */
final class FitWarnings {
  private FitWarnings() {}

  static void add(List<String> warnings, int merged, int ignored, int below,
      List<DiscPiece> discs, int[] levels, boolean anchorIgnored, double[] axis) {
    if (merged > 0) {
      warnings.add("DISC_FRAGMENTS_MERGED: " + merged + " disc piece(s) lying next to another "
          + "disc piece were treated as parts of the same disc.");
    }
    if (ignored > 0) {
      warnings.add("DISC_CANDIDATE_IGNORED: " + ignored + " disc-labelled blob(s) fitting "
          + "neither the spacing nor the size of the discs were left out (specks or mislabelled "
          + "tissue); the levels were named without them.");
    }
    if (below > 0) {
      warnings.add("TRANSITIONAL_DISC_BELOW_L5_S1: a disc lies below the disc marked as the "
          + "lumbosacral disc (L5-S1). This suggests transitional anatomy (e.g. a lumbarised S1) "
          + "or a lumbosacral disc marked one level too high. The levels are named from the "
          + "marked disc; the disc below is left unnamed and is not measured or graded. Check "
          + "the level count on the image.");
    }
    if (anchorIgnored) {
      warnings.add("LUMBOSACRAL_MARK_IGNORED: the lumbosacral-disc class marks a structure that "
          + "cannot be L5-S1 given the discs around it; the lowest disc was named L5-S1 "
          + "instead. Check the level count on the image.");
    }
    for (int i = 1; i < levels.length; i++) {
      if (levels[i] - levels[i - 1] >= 2) {
        warnings.add(skipped(discs.get(i - 1), discs.get(i), levels[i - 1], levels[i], axis));
      }
    }
  }

  private static String skipped(DiscPiece lower, DiscPiece upper, int a, int b, double[] axis) {
    StringBuilder missing = new StringBuilder();
    for (int level = a + 1; level < b; level++) {
      missing.append(missing.length() == 0 ? "" : ", ").append(LevelNames.disc(level));
    }
    double gap = LevelLabeller.project(upper.centroidMm(), axis)
        - LevelLabeller.project(lower.centroidMm(), axis);
    return String.format(Locale.ROOT, "DISC_LEVEL_SKIPPED: no disc was found at %s: discs %s and "
        + "%s are %.0f mm apart, about %d disc spacings. The level was skipped (a disc missed by "
        + "the segmentation, or fused) and the other discs keep their names.", missing,
        LevelNames.disc(a), LevelNames.disc(b), gap, b - a);
  }
}
