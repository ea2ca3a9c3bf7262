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


def train(ckpt_dir: str, max_minutes: str) -> None:
    subprocess.run([sys.executable, os.path.join(HERE, "train_grading.py"), "--data", DATA,
                    "--ckpt-dir", ckpt_dir, "--steps", "3", "--batch-size", "4", "--val-every", "1000",
                    "--max-minutes", max_minutes], check=True, capture_output=True, cwd=HERE)


@unittest.skipUnless(os.path.isfile(os.path.join(DATA, "gradings.csv")), "SPIDER data folder not found")
class ResumeTest(unittest.TestCase):
    def test_training_resumedEqualsUninterrupted(self):
        with tempfile.TemporaryDirectory() as tmp:
            whole, chunks = os.path.join(tmp, "whole"), os.path.join(tmp, "chunks")
            train(whole, "60")
            for _ in range(3):   # --max-minutes 0 stops after every step
                train(chunks, "0")
            a = torch.load(os.path.join(whole, "final.pt"))
            b = torch.load(os.path.join(chunks, "final.pt"))
            self.assertEqual(a["step"], 3)
            self.assertEqual(b["step"], 3)
            for k, v in a["model"].items():
                self.assertTrue(torch.equal(v, b["model"][k]), k)


if __name__ == "__main__":
    unittest.main()
