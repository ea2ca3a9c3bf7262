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


if __name__ == "__main__":
    unittest.main()
