"""Tests of the grading metrics: /usr/bin/python3 -m unittest test_evaluate_grading"""
import unittest

import numpy as np

import evaluate_grading as ev


def one_hot_probs(pred, n=11, p=0.9):
    out = np.full((len(pred), n), (1 - p) / (n - 1))
    out[np.arange(len(pred)), pred] = p
    return out


class MetricsTest(unittest.TestCase):
    def test_metrics_accuracyBalancedAndPfirrmann(self):
        # true: 2L, 2L, 3L, 4M ; predicted: 2L, 3L, 3L, 5H
        true = np.array([1, 1, 2, 6])
        m = ev.metrics(one_hot_probs([1, 2, 2, 10]), true)
        self.assertAlmostEqual(m["accuracy"], 0.5)
        self.assertAlmostEqual(m["balanced_accuracy"], (0.5 + 1.0 + 0.0) / 3)
        self.assertAlmostEqual(m["pfirrmann_exact"], 0.5)
        self.assertAlmostEqual(m["pfirrmann_within_one"], 1.0)
        self.assertEqual(m["confusion_matrix"]["counts"][1][2], 1)
        self.assertEqual(sum(map(sum, m["confusion_matrix"]["counts"])), 4)

    def test_gradeProbabilities_sumsSeverities(self):
        probs = np.zeros((1, 11))
        probs[0, [5, 6, 7]] = [0.2, 0.2, 0.2]   # grade 4 split over L/M/H
        probs[0, 2] = 0.4                        # 3L is the single most likely class
        g = ev.grade_probabilities(probs)
        np.testing.assert_allclose(g[0], [0, 0, 0.4, 0.6, 0])
        m = ev.metrics(probs, np.array([6]))
        self.assertEqual(m["pfirrmann_exact"], 1.0)   # grade from summed probabilities
        self.assertEqual(m["accuracy"], 0.0)          # class from the argmax

    def test_baseline_majorityClass(self):
        b = ev.baseline([1, 1, 2], np.array([1, 2, 2, 2]))
        self.assertEqual(b["class"], "2L")
        self.assertAlmostEqual(b["accuracy"], 0.25)


class OrdinalMetricsTest(unittest.TestCase):
    def test_qwk_perfectReversedAndHandComputed(self):
        self.assertAlmostEqual(ev.qwk(np.array([1, 2, 3, 4, 5]), np.array([1, 2, 3, 4, 5])), 1.0)
        self.assertAlmostEqual(ev.qwk(np.array([1, 2, 3]), np.array([3, 2, 1])), -1.0)
        # a = [1, 1, 2, 2], b = [1, 2, 2, 2], k = 2: observed disagreement 1/4 at weight 1;
        # expected (marginals a 2/2, b 1/3): weight-1 cells (1,2) 2*3/16 and (2,1) 2*1/16 = 0.5
        self.assertAlmostEqual(ev.qwk(np.array([1, 1, 2, 2]), np.array([1, 2, 2, 2]), k=2), 1 - 0.25 / 0.5)

    def test_ece_calibratedIsZeroOverconfidentIsGap(self):
        probs = one_hot_probs([0, 0, 0, 0], p=0.5)
        self.assertAlmostEqual(ev.ece(probs, np.array([0, 0, 1, 1])), 0.0)
        probs = one_hot_probs([0, 0, 0, 0], p=0.95)
        self.assertAlmostEqual(ev.ece(probs, np.array([0, 1, 1, 1])), 0.95 - 0.25)

    def test_ordinalMetrics_pfirrmannBalancedAccuracy(self):
        # true grades 2, 2, 3, 4 (classes 2L, 2L, 3L, 4M); predicted 2, 3, 3, 5
        m = ev.ordinal_metrics(one_hot_probs([1, 2, 2, 10]), np.array([1, 1, 2, 6]))
        self.assertAlmostEqual(m["pfirrmann_balanced_accuracy"], (0.5 + 1.0 + 0.0) / 3)
        self.assertEqual(m["pfirrmann_confusion"][1][2], 1)


if __name__ == "__main__":
    unittest.main()
