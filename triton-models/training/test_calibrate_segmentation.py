"""Unit tests of calibrate_segmentation's offsets and counts (no data, no model)."""
import unittest

import numpy as np
import torch

import calibrate_segmentation as cs
import evaluate_segmentation as es


class OffsetTest(unittest.TestCase):
    def test_offset_vector_discOnBothDiscChannels(self):
        v = cs.offset_vector(-1.0, -0.5, -0.25)
        self.assertEqual(v.tolist(), [0.0, -1.0, -0.5, -0.25, -1.0])

    def test_class_counts_vertebraOffsetShrinksTheVertebra(self):
        # one row of 4 pixels: reference disc, disc, vertebra, vertebra; the model prefers vertebra
        # over disc by 0.5 on the middle two pixels
        truth = np.array([[es.DISC, es.DISC, es.VERTEBRA, es.VERTEBRA]])
        logits = torch.zeros(5, 1, 4)
        logits[1] = torch.tensor([[2.0, 1.0, 0.0, 0.0]])
        logits[2] = torch.tensor([[0.0, 1.5, 2.0, 2.0]])
        plain = cs.class_counts(logits, truth, cs.offset_vector(0, 0, 0))
        shifted = cs.class_counts(logits, truth, cs.offset_vector(0, -1.0, 0))
        # disc: |A.B|, |A|+|B|, |A|, |B|; then vertebra, canal
        self.assertEqual(plain[:8].tolist(), [1, 3, 2, 1, 2, 5, 2, 3])
        self.assertEqual(shifted[:8].tolist(), [2, 4, 2, 2, 2, 4, 2, 2])

    def test_objective_meanOfTheVariedClasses(self):
        row = {"dice_disc": 0.9, "dice_vertebra": 0.8, "dice_canal": 0.7}
        self.assertAlmostEqual(cs.objective(row, ["disc"]), 0.9)
        self.assertAlmostEqual(cs.objective(row, ["disc", "vertebra", "canal"]), 0.8)


if __name__ == "__main__":
    unittest.main()
