"""Tests of the grading labels and disc identification: /usr/bin/python3 -m unittest test_grading_data"""
import unittest

import numpy as np

import grading_data as gd


def row(pfirrmann, narrowing=0, upper=0, lower=0, modic=0, herniation=0, listhesis=0):
    return {"pfirrmann": str(pfirrmann), "narrowing": str(narrowing), "upper_endplate": str(upper),
            "lower_endplate": str(lower), "modic": str(modic), "herniation": str(herniation),
            "spondylolisthesis": str(listhesis), "bulging": "1"}


class SeverityTest(unittest.TestCase):
    def test_severity_thresholds(self):
        self.assertEqual(gd.severity(row(3, narrowing=1)), "L")
        self.assertEqual(gd.severity(row(3, narrowing=1, herniation=1)), "M")
        self.assertEqual(gd.severity(row(4, 1, 1, 1)), "M")
        self.assertEqual(gd.severity(row(4, 1, 1, 1, modic=2)), "H")

    def test_severity_modicCountsOnce(self):
        self.assertEqual(gd.severity(row(5, modic=3)), "L")
        self.assertEqual(gd.severity(row(5, modic=3, narrowing=1)), "M")

    def test_severity_grades1And2AlwaysLow(self):
        self.assertEqual(gd.severity(row(2, 1, 1, 1, 1, 1, 1)), "L")
        self.assertEqual(gd.disc_class(row(1, 1, 1, 1, 1)), 0)

    def test_discClass_order(self):
        self.assertEqual(gd.disc_class(row(3, 1, 1)), 3)            # 3M
        self.assertEqual(gd.disc_class(row(5, 1, 1, 1, 1)), 10)     # 5H
        with self.assertRaises(ValueError):
            gd.disc_class(row(6))


class ComponentsTest(unittest.TestCase):
    def mask(self):
        m = np.zeros((100, 60), dtype=np.uint8)
        m[10:14, 10:30] = 29          # top disc
        m[50:55, 12:32] = 29          # lower disc
        m[55, 32] = 29                # diagonal neighbour: same component under 8-connectivity
        m[80:82, 40:42] = 29          # speck: 4 px
        m[30:40, 10:30] = 76          # vertebra, ignored
        return m

    def test_components_eightConnectivityAndCentroid(self):
        comps = sorted(gd.components(self.mask()), key=lambda c: c[1])
        self.assertEqual(len(comps), 3)
        cx, cy, n = comps[0]
        self.assertEqual(n, 80)
        self.assertAlmostEqual(cx, 19.5)
        self.assertAlmostEqual(cy, 11.5)
        self.assertEqual(comps[1][2], 101)

    def test_discsBottomUp_dropsSpecksAndOrders(self):
        # 1 mm pixels: the 4 px speck is below 20 mm^2, the discs are above
        discs = gd.discs_bottom_up(self.mask(), 1.0, 1.0)
        self.assertEqual(len(discs), 2)
        self.assertGreater(discs[0][1], discs[1][1])

    def test_labelCentre_label0WhenTransitional(self):
        cents = [(0.0, 90.0), (0.0, 50.0)]
        self.assertEqual(list(gd.label_centre(cents, False)), [1, 2])
        self.assertEqual(list(gd.label_centre(cents, True)), [0, 1])

    def test_matchToCentre_nearestWithinLimit(self):
        centre = {1: (10.0, 90.0), 2: (10.0, 50.0)}
        found = gd.match_to_centre([(11.0, 52.0), (10.0, 70.0)], centre, 0.5, 0.5)
        self.assertEqual(found, {2: (11.0, 52.0)})  # (10, 70) is 10 mm from both: no match


if __name__ == "__main__":
    unittest.main()
