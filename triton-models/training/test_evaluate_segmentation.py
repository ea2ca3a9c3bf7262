"""Fast tests of evaluate_segmentation's Dice, level naming and matching, and study verdicts (no data).

  /usr/bin/python3 -m unittest test_evaluate_segmentation
"""
from __future__ import annotations

import json
import unittest

import numpy as np

import evaluate_segmentation as es

SP = (1.0, 1.0)  # 1 mm pixels
ROWS = [20, 50, 80, 110, 140, 170]  # disc centre rows, top to bottom


def spine(ls_index: int | None = -1, rows=ROWS, extra: dict | None = None) -> np.ndarray:
    """200 x 100 class map: a 6-row x 30-column disc at each row, vertebrae between, canal behind.
    ls_index: which disc (index into rows) is class 4; None = none."""
    m = np.zeros((200, 100), dtype=np.int64)
    m[10:190, 30:60] = es.VERTEBRA
    m[10:190, 65:75] = es.CANAL
    for k, r in enumerate(rows):
        m[r - 3:r + 3, 30:60] = es.DISC
    if ls_index is not None:
        r = rows[ls_index]
        m[r - 3:r + 3, 30:60] = es.LUMBOSACRAL
    for (r0, r1, c0, c1), v in (extra or {}).items():
        m[r0:r1, c0:c1] = v
    return m


def record(names_by_row: dict[int, str | None], file="x.png") -> dict:
    """A label-levels JSON record with discs at (row, column 44.5)."""
    return {"file": file, "discs": [{"level": n, "centroid_row": float(r) - 0.5, "centroid_col": 44.5,
                                     "area_mm2": 180.0, "lumbosacral": n == "L5-S1"}
                                    for r, n in names_by_row.items()], "vertebrae": [], "warnings": []}


class NamesTest(unittest.TestCase):
    def test_disc_names_match_the_feature_engine(self):
        self.assertEqual(es.disc_name(0), "L5-S1")
        self.assertEqual(es.disc_name(4), "L1-L2")
        self.assertEqual(es.disc_name(5), "T12-L1")
        self.assertEqual(es.disc_name(6), "T11-T12")
        self.assertEqual(es.LUMBAR_FIVE, ["L5-S1", "L4-L5", "L3-L4", "L2-L3", "L1-L2"])
        self.assertEqual(es.graded_disc_name(1), "L5-S1")
        self.assertEqual(es.graded_disc_name(6), "T12-L1")
        self.assertIsNone(es.graded_disc_name(0))


class DiceTest(unittest.TestCase):
    def test_disc_is_classes_one_and_four_together(self):
        truth = np.zeros((10, 10), dtype=np.int64)
        truth[0:4, :] = es.DISC
        pred = np.zeros_like(truth)
        pred[0:2, :] = es.DISC
        pred[2:4, :] = es.LUMBOSACRAL
        c = es.dice_counts(truth, pred)
        self.assertEqual(c["disc"], (40, 80, 40))
        self.assertEqual(es.dice_summary([c])["dice_disc"], 1.0)
        self.assertEqual(es.dice_summary([c])["area_ratio_disc"], 1.0)

    def test_area_ratio_pooledPredictionOverReference(self):
        a = {"disc": (10, 30, 10)}   # reference 10 px, prediction 20 px
        b = {"disc": (5, 35, 30)}    # reference 30 px, prediction 5 px
        self.assertAlmostEqual(es.dice_summary([a, b])["area_ratio_disc"], 25 / 40)
        self.assertNotIn("area_ratio_disc", es.dice_summary([{"disc": (10, 30)}]))

    def test_pooled_and_mean_per_slice_differ_and_empty_slices_are_skipped(self):
        a = {"disc": (10, 20), "vertebra": (0, 0), "canal": (0, 10)}   # Dice 1.0, none, 0.0
        b = {"disc": (5, 40), "vertebra": (0, 0), "canal": (10, 20)}   # Dice 0.25, none, 1.0
        s = es.dice_summary([a, b])
        self.assertAlmostEqual(s["dice_disc"], 30 / 60)
        self.assertAlmostEqual(s["dice_disc_mean_per_slice"], (1.0 + 0.25) / 2)
        self.assertIsNone(s["dice_vertebra"])
        self.assertIsNone(s["dice_vertebra_mean_per_slice"])
        self.assertAlmostEqual(s["dice_canal"], 20 / 30, places=4)
        self.assertAlmostEqual(s["dice_canal_mean_per_slice"], 0.5)

    def test_lumbosacral_dice_against_the_lowest_reference_disc(self):
        truth = spine(None)
        truth[truth == es.LUMBOSACRAL] = es.DISC
        lowest = np.zeros(truth.shape, dtype=bool)
        lowest[167:173, 30:60] = True
        c = es.dice_counts(truth, spine(-1), lowest)
        self.assertEqual(c["lumbosacral"], (180, 360, 180))


class ReferenceNamesTest(unittest.TestCase):
    def test_counted_up_from_the_lowest(self):
        truth = spine(None)
        groups, names = es.reference_names(truth, SP)
        by_row = {int(np.nonzero(groups == g)[0].mean() + 0.5): n for g, n in names.items()}
        self.assertEqual(by_row, {170: "L5-S1", 140: "L4-L5", 110: "L3-L4", 80: "L2-L3", 50: "L1-L2",
                                  20: "T12-L1"})

    def test_extra_lower_disc_is_unnamed(self):
        groups, names = es.reference_names(spine(None), SP, extra_lower_disc=True)
        by_row = {int(np.nonzero(groups == g)[0].mean() + 0.5): n for g, n in names.items()}
        self.assertIsNone(by_row[170])
        self.assertEqual(by_row[140], "L5-S1")

    def test_fragments_of_one_disc_are_merged(self):
        truth = spine(None)
        truth[137:143, 44:46] = es.VERTEBRA  # splits the disc at row 140 into two pieces
        groups, names = es.reference_names(truth, SP)
        self.assertEqual(len(names), 6)
        self.assertEqual(len(np.unique(groups[137:143, 30:60][groups[137:143, 30:60] > 0])), 1)

    def test_specks_are_ignored(self):
        truth = spine(None)
        truth[100:103, 80:83] = es.DISC  # 9 mm2
        _, names = es.reference_names(truth, SP)
        self.assertEqual(len(names), 6)


class CentreNamesTest(unittest.TestCase):
    def test_lateral_slice_without_the_lowest_disc_keeps_the_centre_names(self):
        centre = spine(None)
        cg, cn = es.reference_names(centre, SP)
        lateral = spine(None)
        lateral[lateral == es.LUMBOSACRAL] = es.DISC
        lateral[167:173, 30:60] = es.VERTEBRA  # L5-S1 not masked on this slice
        lg, counted = es.reference_names(lateral, SP)
        by_row = lambda names: {int(np.nonzero(lg == g)[0].mean() + 0.5): n for g, n in names.items()}  # noqa: E731
        self.assertEqual(by_row(counted)[140], "L5-S1")  # counting up misnames it
        named = by_row(es.names_from_centre(lg, SP, es.centroids_mm(cg, cn, SP)))
        self.assertEqual(named[140], "L4-L5")
        self.assertEqual(named[20], "T12-L1")
        without_top = [c for c in es.centroids_mm(cg, cn, SP) if c[2] != "T12-L1"]
        self.assertIsNone(by_row(es.names_from_centre(lg, SP, without_top))[20])  # 30 mm from any


class PythonLevelsTest(unittest.TestCase):
    def test_counts_up_from_the_lumbosacral_disc(self):
        rec = es.python_levels(spine(-1), *SP, file="a.png")
        self.assertEqual([d["level"] for d in rec["discs"]],
                         ["T12-L1", "L1-L2", "L2-L3", "L3-L4", "L4-L5", "L5-S1"])
        self.assertEqual([d["lumbosacral"] for d in rec["discs"]], [False] * 5 + [True])
        self.assertEqual(rec["warnings"], [])

    def test_discs_below_the_lumbosacral_disc_are_unnamed(self):
        rec = es.python_levels(spine(-2), *SP)
        self.assertEqual(rec["discs"][-1]["level"], None)
        self.assertEqual(rec["discs"][-2]["level"], "L5-S1")

    def test_no_lumbosacral_disc_no_names(self):
        rec = es.python_levels(spine(None), *SP)
        self.assertTrue(all(d["level"] is None for d in rec["discs"]))
        self.assertIn("no lumbosacral disc", rec["warnings"])


class ParseTest(unittest.TestCase):
    def test_json_lines_with_log_lines_and_errors(self):
        line = json.dumps({"file": "/tmp/m/t2space_011_slice62.png", "discs": [
            {"level": "L5-S1", "centroid_row": 500.2, "centroid_col": 240.1, "area_mm2": 210.5, "lumbosacral": True},
            {"level": None, "centroid_row": 100.0, "centroid_col": 200.0, "area_mm2": 25.0, "lumbosacral": False}],
            "vertebrae": [{"level": "L5"}], "warnings": ["disc count 9"]})
        text = "[INFO] building\n" + line + "\n" + '{"file": "b.png", "error": "not a PNG"}\nnot json {\n'
        recs = es.parse_label_levels(text)
        self.assertEqual(sorted(recs), ["b.png", "t2space_011_slice62.png"])
        self.assertEqual(recs["t2space_011_slice62.png"]["discs"][0]["level"], "L5-S1")
        self.assertEqual(recs["b.png"]["discs"], [])
        v = es.study_verdict(recs["b.png"], {1, 2, 3, 4, 5}, 1.0, 1.0)
        self.assertFalse(v["pass"])
        self.assertTrue(v["reasons"][0].startswith("error"))


class MatchTest(unittest.TestCase):
    def setUp(self):
        self.truth = spine(None)
        self.truth[self.truth == es.LUMBOSACRAL] = es.DISC
        self.rg, self.rn = es.reference_names(self.truth, SP)

    def names(self, pred, rec):
        pp, pn = es.name_pieces(pred, rec, SP)
        return es.match_levels(self.rg, self.rn, pp, pn)

    def test_all_right(self):
        pred = spine(-1)
        m = self.names(pred, es.python_levels(pred, *SP))
        self.assertEqual(len(m), 6)
        self.assertTrue(all(x["right"] for x in m))

    def test_shifted_names_are_wrong(self):
        pred = spine(-1)
        rec = record({170: "L4-L5", 140: "L3-L4", 110: "L2-L3", 80: "L1-L2", 50: "T12-L1", 20: "T11-T12"})
        m = self.names(pred, rec)
        self.assertFalse(any(x["right"] for x in m))
        self.assertTrue(all(x["detected"] for x in m))

    def test_missed_disc_is_wrong_and_others_right(self):
        pred = spine(-1)
        pred[47:53, 30:60] = es.VERTEBRA  # L1-L2 not found
        rec = record({170: "L5-S1", 140: "L4-L5", 110: "L3-L4", 80: "L2-L3", 20: "T12-L1"})
        m = {x["reference"]: x for x in self.names(pred, rec)}
        self.assertFalse(m["L1-L2"]["right"])
        self.assertFalse(m["L1-L2"]["detected"])
        self.assertTrue(m["L2-L3"]["right"])
        self.assertTrue(m["T12-L1"]["right"])  # named by the fit, not by counting the found discs
        self.assertEqual(sum(x["right"] for x in m.values()), 5)

    def test_fragment_takes_the_name_of_its_disc(self):
        pred = spine(-1)
        pred[137:143, 44:46] = es.VERTEBRA
        rec = record({170: "L5-S1", 140: "L4-L5", 110: "L3-L4", 80: "L2-L3", 50: "L1-L2", 20: "T12-L1"})
        pp, pn = es.name_pieces(pred, rec, SP)
        self.assertEqual(pn[int(pp[140, 35])], "L4-L5")
        self.assertEqual(pn[int(pp[140, 55])], "L4-L5")

    def test_lumbosacral_check(self):
        self.assertEqual(es.lumbosacral_check(self.truth, spine(-1), SP)["outcome"], "right")
        self.assertEqual(es.lumbosacral_check(self.truth, spine(-2), SP)["outcome"], "wrong disc")
        self.assertEqual(es.lumbosacral_check(self.truth, spine(None), SP)["outcome"], "none")


class VerdictTest(unittest.TestCase):
    GRADED = {1, 2, 3, 4, 5, 6}
    FULL = {170: "L5-S1", 140: "L4-L5", 110: "L3-L4", 80: "L2-L3", 50: "L1-L2", 20: "T12-L1"}

    def test_pass(self):
        v = es.study_verdict(record(self.FULL), self.GRADED, 1.0, 1.0)
        self.assertTrue(v["pass"], v["reasons"])

    def test_missing_lumbar_disc(self):
        rec = record({k: n for k, n in self.FULL.items() if n != "L1-L2"})
        v = es.study_verdict(rec, self.GRADED, 1.0, 1.0)
        self.assertFalse(v["pass"])
        self.assertEqual(v["reasons"], ["missing L1-L2"])

    def test_graded_thoracic_disc_must_be_found(self):
        v = es.study_verdict(record(self.FULL), self.GRADED | {7}, 1.0, 1.0)
        self.assertEqual(v["reasons"], ["graded not found T11-T12"])
        self.assertTrue(v["lumbar_pass"])  # the five lumbar discs are right all the same

    def test_lumbar_pass_fails_on_lumbar_errors(self):
        missing = record({k: n for k, n in self.FULL.items() if n != "L1-L2"})
        self.assertFalse(es.study_verdict(missing, self.GRADED, 1.0, 1.0)["lumbar_pass"])
        below = record({**self.FULL, 190: None})
        self.assertFalse(es.study_verdict(below, self.GRADED, 1.0, 1.0)["lumbar_pass"])
        twice_lumbar = record({**self.FULL, 125: "L4-L5"})
        self.assertFalse(es.study_verdict(twice_lumbar, self.GRADED, 1.0, 1.0)["lumbar_pass"])
        twice_thoracic = record({**self.FULL, 30: "T12-L1"})
        v = es.study_verdict(twice_thoracic, self.GRADED, 1.0, 1.0)
        self.assertFalse(v["pass"])
        self.assertTrue(v["lumbar_pass"])

    def test_extra_disc_below_lumbosacral(self):
        rec = record({**self.FULL, 190: None})
        self.assertEqual(es.study_verdict(rec, self.GRADED, 1.0, 1.0)["reasons"], ["1 disc(s) below L5-S1"])
        # ... required when the patient has a graded extra lower disc (ivd_label 0)
        self.assertTrue(es.study_verdict(rec, self.GRADED | {0}, 1.0, 1.0)["pass"])
        self.assertFalse(es.study_verdict(record(self.FULL), self.GRADED | {0}, 1.0, 1.0)["pass"])

    def test_name_given_twice(self):
        rec = record({**self.FULL, 30: "T12-L1"})
        self.assertEqual(es.study_verdict(rec, self.GRADED, 1.0, 1.0)["reasons"], ["named twice T12-L1"])
        self.assertEqual(es.reason_keys(["named twice T12-L1", "missing L5-S1", "missing L1-L2"]),
                         ["name given twice", "no L5-S1", "upper lumbar disc(s) missing"])


class RoundsTest(unittest.TestCase):
    def test_rounds_table(self):
        t = es.rounds_table([{"round": 0, "step": 3000, "dice_disc": 0.91234, "level_right_centre": 0.97,
                              "midsag_pass_t2": 0.5}, {"round": 1, "pseudo_kept": 120}])
        lines = t.splitlines()
        self.assertEqual(len([x for x in lines if x.startswith("|")]), 4)
        self.assertIn("| 0 | 3000 | — | 0.912 |", lines[2])
        self.assertIn("97.0 %", lines[2])
        self.assertIn("| 1 | — | 120 |", lines[3])


if __name__ == "__main__":
    unittest.main()
