package io.spoils.feature.levels;

import io.spoils.feature.anatomy.DiscLevel;
import io.spoils.feature.levels.LevelFit.Candidate;
import io.spoils.feature.levels.LevelLabeller.DiscPiece;
import java.util.ArrayList;
import java.util.List;

/**
 * The discs of one slice with their levels: for SPIDER-scheme maps as {@link LevelFit} names them
 * (pieces it absorbs joined to their disc, candidates it ignores left out), for 14-class maps as
 * their labels name them.
 *
 * @param discs the named discs, lowest first (L5-S1 and above, thoracic ones included)
 * @param levels per disc its level index ({@link LevelledDisc#levelIndex()})
 * @param unnamed discs the fit placed below L5-S1 (transitional anatomy), lowest first
 */
record FittedDiscs(List<DiscPiece> discs, int[] levels, List<Region> unnamed) {

  /** The labelled discs of a 14-class map, sorted along the spine. */
  static FittedDiscs labelled(List<DiscPiece> sorted) {
    int[] levels = new int[sorted.size()];
    for (int i = 0; i < levels.length; i++) {
      levels[i] = DiscLevel.NAMED - DiscLevel.ofLabel(sorted.get(i).label()).ordinal();
    }
    return new FittedDiscs(sorted, levels, List.of());
  }

  /**
   * Fits the levels of SPIDER-scheme disc pieces and adds the warnings the fit gives.
   *
   * @param sorted fragment-merged pieces, ordered along {@code axis}, lowest first
   * @param merged how many pieces the fragment merge joined (reported with the absorbed ones)
   */
  static FittedDiscs fit(List<DiscPiece> sorted, MaskClasses classes, double[] axis,
      BodyIsolator isolator, int merged, List<String> warnings) {
    List<Candidate> candidates = new ArrayList<>(sorted.size());
    for (DiscPiece p : sorted) {
      candidates.add(new Candidate(LevelLabeller.project(p.centroidMm(), axis),
          p.region().areaMm2(), isolator.touchesBorder(p.region()),
          2L * p.lumbosacralPixels() > p.region().size()));
    }
    LevelFit.Result fit = LevelFit.fit(candidates,
        VertebraBetween.of(classes, MaskClasses.SPIDER_VERTEBRA, sorted));
    List<DiscPiece> discs = new ArrayList<>();
    List<Integer> levels = new ArrayList<>();
    List<Region> unnamed = new ArrayList<>();
    int absorbed = 0;
    int ignored = 0;
    for (int i = 0; i < sorted.size(); i++) {
      if (!fit.selected(i)) {
        absorbed += fit.ignored(i) ? 0 : 1;
        ignored += fit.ignored(i) ? 1 : 0;
        continue;
      }
      DiscPiece disc = withPieces(i, sorted, fit.absorbedInto());
      if (fit.levels()[i] < 0) {
        unnamed.add(disc.region());
      } else {
        discs.add(disc);
        levels.add(fit.levels()[i]);
      }
    }
    int[] levelArray = levels.stream().mapToInt(Integer::intValue).toArray();
    FitWarnings.add(warnings, merged + absorbed, ignored, unnamed.size(), discs, levelArray,
        anchorIgnored(candidates, fit), axis);
    return new FittedDiscs(discs, levelArray, unnamed);
  }

  /** Piece i joined with the pieces the fit absorbed into it. */
  private static DiscPiece withPieces(int i, List<DiscPiece> sorted, int[] absorbedInto) {
    DiscPiece out = sorted.get(i);
    for (int k = 0; k < sorted.size(); k++) {
      if (absorbedInto[k] == i) {
        out = LevelLabeller.union(out, sorted.get(k));
      }
    }
    return out;
  }

  /** Whether a candidate is marked lumbosacral but no such candidate was named L5-S1. */
  private static boolean anchorIgnored(List<Candidate> candidates, LevelFit.Result fit) {
    boolean marked = false;
    for (int i = 0; i < candidates.size(); i++) {
      if (candidates.get(i).lumbosacral()) {
        marked = true;
        if (fit.levels()[i] == 0) {
          return false;
        }
      }
    }
    return marked;
  }
}
