#!/usr/bin/python3
"""Graded discs located by the segmentation model, for training and validating the disc grader.

  /usr/bin/python3 grading_discs.py --midsag DIR --t2space DIR --checkpoint SEG_CKPT --out FILE.json

Sources (T2 only: Pfirrmann is a T2 grade):
  * every spider-midsag `t2` (T2 TSE) and `t2_SPACE` image, discs found by the segmentation model
    (CONTRACT.md v2 inference), named upward from the lumbosacral disc (class 4): the lumbosacral
    disc is ivd_label 1 (L5-S1), the next disc up 2, and so on; joined to gradings.csv by ivd_label;
  * the spider-t2space slices (centre and +-3) of the same patients, discs from the reference masks
    (grading_data.disc_samples), as the first CNN learnt from.
A midsag study is left out (and counted) where its level fit is not confident: anatomy_check fails
(fewer than five discs, no single lowest lumbosacral disc, irregular spacing, no vertebra between
discs, no canal behind), or the number of discs found differs by more than one from the number the
radiologists graded (levels are named from the lumbosacral disc upward, so a disc more or less at
the top of the field of view does not rename the graded discs). Every patient keeps its split.json set; the file says which.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import anatomy_check as ac  # noqa: E402
import grading_data as gd  # noqa: E402
import pseudo_label as pl  # noqa: E402
import spoils_data as sd  # noqa: E402


def midsag_discs(model, midsag: str, stats) -> list[dict]:
    grades: dict[int, dict[int, dict]] = collections.defaultdict(dict)
    for r in sd.read_csv(midsag, "gradings.csv"):
        grades[int(r["patient"])][int(r["ivd_label"])] = r
    split = sd.load_split()
    val = set(split["validation"])
    out = []
    for row in sd.read_csv(midsag, "series.csv"):
        seq = row["sequence"]
        if seq not in ("t2", "t2_SPACE"):
            continue
        p = int(row["patient"])
        rmm, cmm = float(row["row_spacing_mm"]), float(row["col_spacing_mm"])
        grey = sd.read_grey(os.path.join(midsag, row["file"]))
        stats[seq]["studies"] += 1
        try:
            _, prob = pl.predict_seg(model, grey, rmm, cmm)
        except ValueError:
            stats[seq]["left out: size"] += 1
            continue
        lab = prob.argmax(0).numpy().astype(np.uint8)
        g = grades.get(p, {})
        n_graded = len([k for k in g if k >= 1])
        v = ac.check(lab, sd.SEG_MM, sd.SEG_MM, n_graded)
        # Levels are named upward from the lumbosacral disc, so one disc more or less than graded at
        # the top of the field of view does not rename the graded lumbar discs: such a study is kept
        # (counted apart); any other failure leaves it out.
        count_only = bool(v.reasons) and all(r.endswith(" graded") for r in v.reasons) \
            and abs(len(v.discs) - n_graded) <= 1
        if not v.ok and not count_only:
            stats[seq]["left out: " + v.reasons[0].split(",")[0].split(" ", 1)[-1]] += 1
            continue
        stats[seq]["kept" if v.ok else "kept: disc count off by one at the top"] += 1
        h1, w1 = lab.shape
        sy, sx = grey.shape[0] / h1, grey.shape[1] / w1
        for k, d in enumerate(reversed(v.discs), start=1):
            if k not in g:
                continue
            r = g[k]
            out.append({"patient": p, "sequence": seq, "set": "validation" if p in val else "train",
                        "file": os.path.join(midsag, row["file"]), "row_mm": rmm, "col_mm": cmm,
                        # centroid on the original grid: pixel centres map as (i + 0.5) * scale - 0.5
                        "cx": (d.col + 0.5) * sx - 0.5, "cy": (d.row + 0.5) * sy - 0.5,
                        "ivd_label": k, "cls": gd.disc_class(r), "pfirrmann": int(r["pfirrmann"]),
                        "manufacturer": row["manufacturer"], "field_t": float(row["field_t"])})
    return out


def t2space_discs(t2space: str, max_offset: int) -> list[dict]:
    split = sd.load_split()
    spacing = sd.spacing(t2space)
    out = []
    for name in ("train", "validation"):
        pats = [p for p in split[name] if p in spacing]
        offs = max_offset if name == "train" else 0
        for s in gd.disc_samples(t2space, pats, offs):
            rmm, cmm = spacing[s.patient]
            out.append({"patient": s.patient, "sequence": "t2space_slices", "set": name,
                        "file": os.path.join(t2space, "images", sd.SliceRef(s.patient, s.slice, False).file_name()),
                        "row_mm": rmm, "col_mm": cmm, "cx": s.cx, "cy": s.cy, "ivd_label": s.ivd_label,
                        "cls": s.cls, "pfirrmann": int(sd.DISC_CLASSES[s.cls][0]), "slice_offset": s.offset,
                        "manufacturer": "SIEMENS", "field_t": None})
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--midsag", required=True)
    ap.add_argument("--t2space", required=True)
    ap.add_argument("--checkpoint", required=True, help="segmentation final.pt")
    ap.add_argument("--out", required=True)
    ap.add_argument("--max-offset", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    model = pl.load_model(args.checkpoint)
    stats = collections.defaultdict(collections.Counter)
    discs = midsag_discs(model, args.midsag, stats) + t2space_discs(args.t2space, args.max_offset)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump({"segmentation_checkpoint": os.path.abspath(args.checkpoint),
                   "studies": {k: dict(v) for k, v in stats.items()}, "discs": discs}, f)
    for seq, st in sorted(stats.items()):
        print(f"{seq}: {dict(st)}")
    c = collections.Counter((d["sequence"], d["set"]) for d in discs)
    print("discs:", dict(c))
    return 0


if __name__ == "__main__":
    sys.exit(main())
