package io.spoils.feature.levels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.anatomy.AnatomyLabel;
import io.spoils.feature.anatomy.DiscLevel;
import io.spoils.feature.anatomy.VertebraLevel;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelSpacing;
import org.junit.jupiter.api.Test;

class LevelLabellerTest {
  private static final PixelSpacing SPACING = new PixelSpacing(0.5, 0.5);
  private final LevelLabeller labeller = new LevelLabeller(5, 3, 40);

  /**
   * A straight vertical spine, 0.5 mm pixels: vertebra 40 px tall, disc 16 px, body 60 px wide,
   * canal 20 px behind (to the right, so anterior is left). Values from {@code ids}.
   */
  private static LabelMap drawn(int discs, boolean anatomy) {
    int w = 140;
    int pitch = 56;
    int h = pitch * discs + 40 + 20;
    byte[] labels = new byte[w * h];
    for (int y = 10; y < h - 10; y++) {
      int fromBottom = (h - 10 - y);
      int slot = fromBottom / pitch;
      boolean disc = fromBottom % pitch >= 40 && slot < discs;
      for (int x = 20; x < 100; x++) {
        int id;
        if (x >= 80) {
          id = anatomy ? AnatomyLabel.CANAL.id() : 150;
        } else if (disc) {
          id = anatomy ? DiscLevel.fromBottom(slot).label().id() : 29;
        } else {
          id = anatomy ? VertebraLevel.fromBottom(Math.min(slot, 5)).label().id() : 76;
        }
        labels[y * w + x] = (byte) id;
      }
    }
    return new LabelMap(w, h, labels, SPACING,
        anatomy ? LabelMap.Scheme.ANATOMY14 : LabelMap.Scheme.SPIDER);
  }

  @Test
  void label_spiderCountsFromBottom() {
    SpineLevels l = labeller.label(drawn(5, false));
    assertEquals(5, l.discs().size());
    assertEquals(DiscLevel.L5_S1, l.discs().get(0).level());
    assertEquals(DiscLevel.L1_L2, l.discs().get(4).level());
    assertEquals(VertebraLevel.SACRUM, l.vertebrae().get(0).level());
    // anterior is away from the canal: toward column 0 here
    assertTrue(l.discs().get(0).apX() < -0.99, "ap " + l.discs().get(0).apX());
  }

  /**
   * Fields of view reaching T10 are usual, so discs above T12-L1 are named thoracic without a
   * warning (MORE_THAN_SIX_DISCS fired on every real SPIDER slice and was removed).
   */
  @Test
  void label_moreThanSixDiscs_thoracicWithoutWarning() {
    SpineLevels l = labeller.label(drawn(8, false));
    assertEquals(DiscLevel.THORACIC, l.discs().get(7).level());
    assertEquals("T10-T11", l.discs().get(7).levelName());
    assertTrue(l.warnings().isEmpty(), l.warnings().toString());
  }

  @Test
  void label_fewDiscsWarns() {
    SpineLevels l = labeller.label(drawn(3, false));
    assertTrue(l.warnings().stream().anyMatch(w -> w.startsWith("FEWER_DISCS_THAN_EXPECTED:")),
        l.warnings().toString());
  }

  @Test
  void label_anatomy14UsesLabels() {
    SpineLevels l = labeller.label(drawn(5, true));
    assertEquals(5, l.discs().size());
    assertEquals(DiscLevel.L5_S1, l.discs().get(0).level());
    assertEquals(DiscLevel.L1_L2, l.discs().get(4).level());
    assertTrue(l.warnings().stream().noneMatch(w -> w.startsWith("LEVEL_ORDER")),
        l.warnings().toString());
  }

  @Test
  void label_anatomy14SwappedLabelsWarn() {
    LabelMap m = drawn(5, true);
    byte[] labels = m.labels().clone();
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] == AnatomyLabel.DISC_L5_S1.id()) {
        labels[i] = (byte) AnatomyLabel.DISC_L1_L2.id();
      } else if (labels[i] == AnatomyLabel.DISC_L1_L2.id()) {
        labels[i] = (byte) AnatomyLabel.DISC_L5_S1.id();
      }
    }
    SpineLevels l = labeller.label(new LabelMap(m.width(), m.height(), labels, SPACING,
        LabelMap.Scheme.ANATOMY14));
    assertTrue(l.warnings().stream().anyMatch(w -> w.startsWith("LEVEL_ORDER_INCONSISTENT:")),
        l.warnings().toString());
  }

  @Test
  void label_specksIgnoredAndEmptyRejected() {
    byte[] labels = new byte[100 * 100];
    labels[5050] = 29;
    labels[5051] = 29;
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> labeller.label(new LabelMap(100, 100, labels, SPACING, LabelMap.Scheme.SPIDER)));
    assertEquals("no intervertebral disc found in the mask", e.getMessage());
  }

  @Test
  void connectedComponents_eightConnectivity() {
    boolean[] mask = new boolean[9];
    mask[0] = true;
    mask[4] = true;
    mask[8] = true;
    mask[2] = true;
    assertEquals(1, ConnectedComponents.of(mask, 3, 3).size());
  }
}
