"""Resume check of train_grading.py on the real data (skipped without it; about 30 s on one core):

  SPIDER_DATA=/work/shared/data/spider-t2space /usr/bin/python3 -m unittest test_train_resume
"""
import os
import subprocess
import sys
import tempfile
import unittest

import torch

DATA = os.environ.get("SPIDER_DATA", "/work/shared/data/spider-t2space")
HERE = os.path.dirname(os.path.abspath(__file__))


def train(discs: str, ckpt_dir: str, max_minutes: str) -> None:
    subprocess.run([sys.executable, os.path.join(HERE, "train_grading.py"), "--discs", discs,
                    "--ckpt-dir", ckpt_dir, "--steps", "3", "--batch-size", "4", "--val-every", "1000",
                    "--max-minutes", max_minutes], check=True, capture_output=True, cwd=HERE)


def write_discs(path: str) -> None:
    """A disc table from the reference masks only (grading_discs.t2space_discs; no model needed)."""
    import json
    sys.path.insert(0, HERE)
    import grading_discs
    discs = grading_discs.t2space_discs(DATA, 0)
    for d in discs:   # the trainer monitors the validation patients' T2 TSE discs
        if d["set"] == "validation":
            d["sequence"] = "t2"
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"discs": discs}, f)


@unittest.skipUnless(os.path.isfile(os.path.join(DATA, "gradings.csv")), "SPIDER data folder not found")
class ResumeTest(unittest.TestCase):
    def test_training_resumedEqualsUninterrupted(self):
        with tempfile.TemporaryDirectory() as tmp:
            whole, chunks = os.path.join(tmp, "whole"), os.path.join(tmp, "chunks")
            discs = os.path.join(tmp, "discs.json")
            write_discs(discs)
            train(discs, whole, "60")
            for _ in range(3):   # --max-minutes 0 stops after every step
                train(discs, chunks, "0")
            a = torch.load(os.path.join(whole, "final.pt"))
            b = torch.load(os.path.join(chunks, "final.pt"))
            self.assertEqual(a["step"], 3)
            self.assertEqual(b["step"], 3)
            for k, v in a["model"].items():
                self.assertTrue(torch.equal(v, b["model"][k]), k)


if __name__ == "__main__":
    unittest.main()
