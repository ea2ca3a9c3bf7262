package io.spoils.feature.levels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.anatomy.DiscLevel;
import io.spoils.feature.anatomy.VertebraLevel;
import io.spoils.feature.image.ImageFiles;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelSpacing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The level fit on drawn spines ({@link DrawnSpine}): one test per situation it must survive. */
class LevelFitTest {
  private final LevelLabeller labeller = new LevelLabeller(5, 3, 40);

  private static List<String> names(SpineLevels l) {
    return l.discs().stream().map(LevelledDisc::levelName).toList();
  }

  private static List<String> codes(SpineLevels l) {
    return l.warnings().stream().map(w -> w.substring(0, w.indexOf(':'))).toList();
  }

  @Test
  void label_normalAnatomyWithLumbosacralMark_namedFromItWithoutWarnings() {
    SpineLevels l = labeller.label(new DrawnSpine(7, 35).lumbosacral(0).map());
    assertEquals(List.of("L5-S1", "L4-L5", "L3-L4", "L2-L3", "L1-L2", "T12-L1", "T11-T12"),
        names(l));
    assertEquals(DiscLevel.L5_S1, l.discs().get(0).level());
    assertEquals(DiscLevel.THORACIC, l.discs().get(6).level());
    assertTrue(l.discs().get(0).lumbosacral());
    assertFalse(l.discs().get(1).lumbosacral());
    assertEquals(List.of(), l.warnings());
    assertEquals(List.of("L5", "L4", "L3", "L2", "L1", "T12", "T11"),
        l.vertebrae().stream().map(LevelledVertebra::levelName).toList());
  }

  @Test
  void label_blobBridgingTwoDiscs_keepsThemApart() {
    // a small disc-labelled blob within the fragment gap of both L5-S1 and L4-L5 (as a
    // segmentation drew one behind L5): the two discs stay two, the blob joins one of them
    SpineLevels l = labeller.label(new DrawnSpine(7, 35).lumbosacral(0).bridge(0, 3).map());
    assertEquals(List.of("L5-S1", "L4-L5", "L3-L4", "L2-L3", "L1-L2", "T12-L1", "T11-T12"),
        names(l));
    assertTrue(l.discs().get(0).lumbosacral());
    assertTrue(l.warnings().stream().allMatch(w -> w.startsWith("DISC_FRAGMENTS_MERGED")),
        l.warnings().toString());
  }

  @Test
  void label_splitDiscHalves_stillOneDisc() {
    // two disc-sized halves of one disc, near each other: merged as before
    SpineLevels l = labeller.label(new DrawnSpine(6, 35).split(2).map());
    assertEquals(List.of("L5-S1", "L4-L5", "L3-L4", "L2-L3", "L1-L2", "T12-L1"), names(l));
  }

  @Test
  void label_normalAnatomyWithoutMark_lowestIsL5S1WithoutWarnings() {
    SpineLevels l = labeller.label(new DrawnSpine(6, 35).map());
    assertEquals(List.of("L5-S1", "L4-L5", "L3-L4", "L2-L3", "L1-L2", "T12-L1"), names(l));
    assertEquals(List.of(), l.warnings());
  }

  @Test
  void label_lumbosacralPixels_areDiscPixels() {
    LabelMap map = new DrawnSpine(5, 35).lumbosacral(0).map();
    SpineLevels plain = labeller.label(new DrawnSpine(5, 35).map());
    SpineLevels marked = labeller.label(map);
    assertEquals(plain.discs().get(0).region().size(), marked.discs().get(0).region().size());
    long value31 = 0;
    for (byte b : map.labels()) {
      value31 += b == 31 ? 1 : 0;
    }
    assertEquals(value31, marked.discs().get(0).region().size());
  }

  @Test
  void label_discHalfMarkedLumbosacral_isOnePieceAndAnchorsWhenMostlyMarked() {
    LabelMap map = new DrawnSpine(5, 35).lumbosacral(1).map();
    byte[] labels = map.labels().clone();
    // the lower third of disc 1 drawn as plain disc: still one piece, still mostly 31
    for (int i = 0; i < labels.length; i++) {
      int y = i / map.width();
      if (labels[i] == 31 && y * 0.5 > new DrawnSpine(5, 35).discY(1) + 1.5) {
        labels[i] = 29;
      }
    }
    SpineLevels l = labeller.label(new LabelMap(map.width(), map.height(), labels,
        map.spacing(), LabelMap.Scheme.SPIDER));
    assertEquals(4, l.discs().size());
    assertTrue(l.discs().get(0).lumbosacral());
    assertEquals("L5-S1", l.discs().get(0).levelName());
  }

  @Test
  void label_splitDisc_oneDiscSameNames() {
    SpineLevels l = labeller.label(new DrawnSpine(6, 35).lumbosacral(0).split(2).map());
    assertEquals(List.of("L5-S1", "L4-L5", "L3-L4", "L2-L3", "L1-L2", "T12-L1"), names(l));
    assertEquals(List.of("DISC_FRAGMENTS_MERGED"), codes(l));
  }

  @Test
  void label_speckBetweenDiscs_ignoredNotNamed() {
    SpineLevels l = labeller.label(new DrawnSpine(6, 35).speck(2.5 * 35, 3).map());
    assertEquals(List.of("L5-S1", "L4-L5", "L3-L4", "L2-L3", "L1-L2", "T12-L1"), names(l));
    assertEquals(List.of("DISC_CANDIDATE_IGNORED"), codes(l));
  }

  @Test
  void label_speckBelowL5S1_ignoredWithAndWithoutMark() {
    for (DrawnSpine spine : List.of(new DrawnSpine(6, 35).speck(-18, 3),
        new DrawnSpine(6, 35).speck(-18, 3).lumbosacral(0))) {
      SpineLevels l = labeller.label(spine.map());
      assertEquals(List.of("L5-S1", "L4-L5", "L3-L4", "L2-L3", "L1-L2", "T12-L1"), names(l));
      assertEquals(List.of("DISC_CANDIDATE_IGNORED"), codes(l));
    }
  }

  @Test
  void label_missedDisc_levelSkippedOthersKeepNames() {
    SpineLevels l = labeller.label(new DrawnSpine(7, 35).lumbosacral(0).missing(2).map());
    assertEquals(List.of("L5-S1", "L4-L5", "L2-L3", "L1-L2", "T12-L1", "T11-T12"), names(l));
    assertEquals(List.of("DISC_LEVEL_SKIPPED"), codes(l));
    assertTrue(l.warnings().get(0).contains("no disc was found at L3-L4"), l.warnings().get(0));
    // the slot between L4-L5 and L2-L3 spans L4 and L3; its one body takes one of the two
    assertEquals("L5", l.vertebrae().get(0).levelName());
    String between = l.vertebrae().get(1).levelName();
    assertTrue(between.equals("L3") || between.equals("L4"), between);
    assertEquals("L2", l.vertebrae().get(2).levelName());
  }

  @Test
  void label_missedDiscWithoutMark_levelSkipped() {
    SpineLevels l = labeller.label(new DrawnSpine(7, 30).missing(3).map());
    assertEquals(List.of("L5-S1", "L4-L5", "L3-L4", "L1-L2", "T12-L1", "T11-T12"), names(l));
    assertEquals(List.of("DISC_LEVEL_SKIPPED"), codes(l));
  }

  @Test
  void label_fieldOfViewFromT10_thoracicDiscsNamedLumbarUnchanged() {
    SpineLevels l = labeller.label(new DrawnSpine(8, 32).lumbosacral(0).map());
    assertEquals(List.of("L5-S1", "L4-L5", "L3-L4", "L2-L3", "L1-L2", "T12-L1", "T11-T12",
        "T10-T11"), names(l));
    assertEquals(DiscLevel.T12_L1, l.discs().get(5).level());
    assertEquals(DiscLevel.THORACIC, l.discs().get(7).level());
    assertEquals(List.of(), l.warnings());
  }

  @Test
  void label_fieldOfViewFromL2_fourDiscsWithoutWarnings() {
    SpineLevels l = labeller.label(new DrawnSpine(4, 36).lumbosacral(0).map());
    assertEquals(List.of("L5-S1", "L4-L5", "L3-L4", "L2-L3"), names(l));
    assertEquals(List.of(), l.warnings());
  }

  @Test
  void label_closerThoracicDiscs_scaleFollowsTheData() {
    // lumbar discs 38 mm apart, thoracic ones 26 mm: no level skipped, no disc dropped
    DrawnSpine spine = new DrawnSpine(8, 34).lumbosacral(0).shift(0, -4).shift(1, -2)
        .shift(6, -6).shift(7, -14);
    SpineLevels l = labeller.label(spine.map());
    assertEquals(8, l.discs().size());
    assertEquals("T10-T11", l.discs().get(7).levelName());
    assertEquals(List.of(), l.warnings());
  }

  @Test
  void label_coarsePixels_sameNames() {
    SpineLevels l = labeller.label(new DrawnSpine(6, 35, new PixelSpacing(0.8, 0.8))
        .lumbosacral(0).map());
    assertEquals(List.of("L5-S1", "L4-L5", "L3-L4", "L2-L3", "L1-L2", "T12-L1"), names(l));
    assertEquals(List.of(), l.warnings());
  }

  @Test
  void label_regularDiscBelowMark_transitionalWarnedNotRenamed() {
    SpineLevels l = labeller.label(new DrawnSpine(7, 35).lumbosacral(1).map());
    assertEquals(List.of("L5-S1", "L4-L5", "L3-L4", "L2-L3", "L1-L2", "T12-L1"), names(l));
    assertTrue(l.discs().get(0).lumbosacral());
    assertEquals(1, l.unnamedDiscs().size());
    assertTrue(l.unnamedDiscs().get(0).centroidMm()[1] > l.discs().get(0).region()
        .centroidMm()[1], "the unnamed disc is the lower one");
    assertEquals(List.of("TRANSITIONAL_DISC_BELOW_L5_S1"), codes(l));
    assertEquals(VertebraLevel.SACRUM, l.vertebrae().get(0).level());
  }

  @Test
  void label_markWithTwoRegularDiscsBelow_markIgnoredCountedFromBottom() {
    SpineLevels l = labeller.label(new DrawnSpine(7, 35).lumbosacral(2).map());
    assertEquals(List.of("L5-S1", "L4-L5", "L3-L4", "L2-L3", "L1-L2", "T12-L1", "T11-T12"),
        names(l));
    assertTrue(l.discs().get(2).lumbosacral());
    assertEquals(List.of("LUMBOSACRAL_MARK_IGNORED"), codes(l));
  }

  /**
   * Normal anatomy on the bundled real slice: no warning. Its field of view cuts a thoracic body at
   * the top, which is normal in a lumbar study and not reported (only lumbar bodies are measured).
   */
  @Test
  void label_bundledExample_noWarning() {
    Path mask = Path.of("..", "gateway", "examples", "spider", "mask.png");
    Assumptions.assumeTrue(Files.isRegularFile(mask), "bundled example not found");
    SpineLevels l = labeller.label(ImageFiles.readMask(mask, new PixelSpacing(0.46875, 0.46875)));
    assertEquals("L5-S1", l.discs().get(0).levelName());
    assertTrue(l.vertebrae().stream().anyMatch(v -> v.partial()
        && v.level() == VertebraLevel.THORACIC), "the example's top thoracic body is cut");
    assertEquals(List.of(), l.warnings());
  }

  @Test
  void levelNames_discsAndVertebrae() {
    assertEquals("L5-S1", LevelNames.disc(0));
    assertEquals("T12-L1", LevelNames.disc(5));
    assertEquals("T1-T2", LevelNames.disc(16));
    assertEquals("S1", LevelNames.vertebra(0));
    assertEquals("L1", LevelNames.vertebra(5));
    assertEquals("T12", LevelNames.vertebra(6));
  }
}
