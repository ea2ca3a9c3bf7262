"""How much Dice the reference masks themselves keep on a coarser grid: the ceiling of a model whose
logits live on that grid, and of labels resized to it.

For each validation slice of spider-t2space (split.json) the expert mask is taken to a grid of MM
pixels and back to the image, two ways, and compared with itself (pooled Dice per class):
  * smooth: each class's indicator resized bilinearly as the contract resizes images
    (`spoils_data.resize_bilinear`), there and back, then the argmax: what logits on that grid
    can draw at best (0.8 mm with a stride-4 output is a 3.2 mm logit grid);
  * nearest: the mask sampled at the grid's pixel centres (what nearest-neighbour training labels
    hold), then back as above.
The figures quoted in deeplab.py, seg_augment.py and the model card come from

    /usr/bin/python3 label_grid_ceiling.py --data $DATA --mm 0.8,1.6,3.2
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spoils_data as sd  # noqa: E402

CLASSES = {1: "disc", 2: "vertebra", 3: "canal"}


def ceiling(data: str, mm: float) -> dict[str, dict[str, float]]:
    """{"smooth"|"nearest": {class: pooled Dice}} of the validation masks through a grid of mm pixels."""
    val = set(sd.load_split()["validation"])
    spacing = sd.spacing(data)
    sums = {way: {k: [0, 0] for k in CLASSES} for way in ("smooth", "nearest")}
    for ref in sd.slices(data):
        if ref.patient not in val:
            continue
        mask = sd.read_semantic_mask(os.path.join(data, "masks", ref.file_name()))
        row_mm, col_mm = spacing[ref.patient]
        rows, cols = mask.shape
        h1 = max(1, int(np.floor(rows * row_mm / mm + 0.5)))
        w1 = max(1, int(np.floor(cols * col_mm / mm + 0.5)))
        onehot = torch.from_numpy(np.eye(4, dtype=np.float32)[mask]).permute(2, 0, 1)
        smooth = sd.resize_bilinear(sd.resize_bilinear(onehot, h1, w1), rows, cols).argmax(0).numpy()
        ri = np.minimum(((np.arange(h1) + 0.5) * rows / h1).astype(int), rows - 1)
        ci = np.minimum(((np.arange(w1) + 0.5) * cols / w1).astype(int), cols - 1)
        near = torch.from_numpy(np.eye(4, dtype=np.float32)[mask[np.ix_(ri, ci)]]).permute(2, 0, 1)
        nearest = sd.resize_bilinear(near, rows, cols).argmax(0).numpy()
        for way, back in (("smooth", smooth), ("nearest", nearest)):
            for k in CLASSES:
                a, b = mask == k, back == k
                sums[way][k][0] += int((a & b).sum())
                sums[way][k][1] += int(a.sum() + b.sum())
    return {way: {CLASSES[k]: round(2 * i / t, 4) for k, (i, t) in s.items()} for way, s in sums.items()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="spider-t2space folder")
    ap.add_argument("--mm", default="0.8,1.6,3.2", help="grid pixel sizes to try, mm")
    args = ap.parse_args(argv)
    for mm in (float(v) for v in args.mm.split(",")):
        r = ceiling(args.data, mm)
        print(f"{mm:g} mm: smooth {r['smooth']}  nearest {r['nearest']}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
