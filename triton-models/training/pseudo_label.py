#!/usr/bin/python3
"""Pseudo-labels for semi-supervised segmentation training, from the unlabelled spider-midsag slices.

  /usr/bin/python3 pseudo_label.py --midsag DIR --checkpoint CKPT --out DIR [--min-prob 0.6]

Runs the model as the gateway does (CONTRACT.md v2) on every T1 and T2 TSE image of the training
patients of split.json (validation patients are never read), and keeps an image's prediction as a
pseudo-label only where the anatomy is plausible (anatomy_check: at least five discs with the
lumbosacral one lowest, regular spacing, a vertebral body between discs, the canal behind, and as
many discs as the radiologists graded for that patient). Pixels whose top softmax probability is
below --min-prob are marked 255 (ignored by the loss). Writes, at 0.8 mm pixels:
OUT/images/P_SEQ.png (8-bit grey), OUT/labels/P_SEQ.png (class ids), OUT/manifest.json (kept images,
and counts per sequence and rejection reason).
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import sys

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import anatomy_check as ac  # noqa: E402
import spoils_data as sd  # noqa: E402
from deeplab import build_model  # noqa: E402


def load_model(path: str) -> torch.nn.Module:
    ck = torch.load(path, map_location="cpu")
    model = build_model(ck.get("encoder", "mobilenet_v3"), ck.get("num_classes", 5))
    model.load_state_dict(ck["model"])
    return model.eval()


@torch.no_grad()
def predict_seg(model, grey: np.ndarray, row_mm: float, col_mm: float):
    """(resampled grey H1 x W1, softmax probabilities [C, H1, W1]) at 0.8 mm."""
    r = sd.resample_to_seg(grey, row_mm, col_mm)
    x = sd.pad_and_zscore(r).unsqueeze(0)
    logits = model(x)[0, :, :r.shape[0], :r.shape[1]]
    return r, logits.softmax(0)


def graded_disc_counts(midsag: str) -> dict[int, int]:
    return collections.Counter(int(r["patient"]) for r in sd.read_csv(midsag, "gradings.csv"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--midsag", required=True)
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--min-prob", type=float, default=0.6)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    model = load_model(args.checkpoint)
    train = set(sd.load_split()["train"])
    counts = graded_disc_counts(args.midsag)
    os.makedirs(os.path.join(args.out, "images"), exist_ok=True)
    os.makedirs(os.path.join(args.out, "labels"), exist_ok=True)
    kept, stats = [], collections.defaultdict(collections.Counter)
    for row in sd.read_csv(args.midsag, "series.csv"):
        p, seq = int(row["patient"]), row["sequence"]
        if p not in train or seq not in ("t1", "t2"):
            continue
        grey = sd.read_grey(os.path.join(args.midsag, row["file"]))
        rmm, cmm = float(row["row_spacing_mm"]), float(row["col_spacing_mm"])
        try:
            r, prob = predict_seg(model, grey, rmm, cmm)
        except ValueError as e:
            stats[seq][f"size: {e}"] += 1
            continue
        top, lab = prob.max(0)
        lab = lab.numpy().astype(np.uint8)
        v = ac.check(lab, sd.SEG_MM, sd.SEG_MM, counts.get(p))
        stats[seq]["total"] += 1
        if not v.ok:
            stats[seq][v.reasons[0]] += 1
            continue
        stats[seq]["kept"] += 1
        lab[(top < args.min_prob).numpy()] = 255
        name = f"{p}_{seq}.png"
        Image.fromarray(np.clip(r.numpy() + 0.5, 0, 255).astype(np.uint8)).save(os.path.join(args.out, "images", name))
        Image.fromarray(lab).save(os.path.join(args.out, "labels", name))
        kept.append({"patient": p, "sequence": seq, "image": f"images/{name}", "labels": f"labels/{name}"})
    man = {"checkpoint": os.path.abspath(args.checkpoint), "min_prob": args.min_prob, "kept": kept,
           "stats": {k: dict(v) for k, v in stats.items()}}
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(man, f, indent=1)
    for seq, st in sorted(stats.items()):
        print(f"{seq}: kept {st['kept']} of {st['total']}; " +
              ", ".join(f"{k}: {n}" for k, n in st.most_common() if k not in ("kept", "total")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
