"""Disc logit offset of a segmentation checkpoint, chosen on the training patients, folded into it.

Models trained with cross-entropy + soft Dice draw discs too large (round 3: disc area 1.10 x the
reference on its own training slices). A constant added to the two disc logits (disc, lumbosacral
disc) moves every disc boundary; this command measures pooled disc Dice on training patients' slices
(inference exactly as the gateway's, CONTRACT.md v2) for each offset of --offsets, keeps the best,
and writes a checkpoint whose last convolution's bias carries it (bilinear resizing keeps a constant
offset, so the served model needs nothing else). Validation patients are never read.

    /usr/bin/python3 calibrate_segmentation.py --data $DATA --checkpoint /work/ckpt-seg/r3/final.pt \
        --out /work/ckpt-seg/r3/calibrated.pt
"""
from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evaluate_segmentation as es  # noqa: E402
import spoils_data as sd  # noqa: E402

DISC_CHANNELS = (1, 4)  # disc, lumbosacral disc


def last_bias_key(state: dict) -> str:
    """The bias of the convolution whose output is the logits (refinement stage, else classifier)."""
    return "refine.out.bias" if "refine.out.bias" in state else "classifier.bias"


def disc_counts(logits_up: torch.Tensor, truth: np.ndarray, offset: float) -> tuple[int, int, int, int]:
    """(|A.B|, |A|+|B|, |A|, |B|) of disc (classes 1 and 4) after adding offset to the disc logits."""
    lg = logits_up.clone()
    for c in DISC_CHANNELS:
        lg[c] += offset
    pred = lg.argmax(0).numpy()
    a = truth == es.DISC
    b = (pred == es.DISC) | (pred == es.LUMBOSACRAL)
    return int((a & b).sum()), int(a.sum() + b.sum()), int(a.sum()), int(b.sum())


@torch.no_grad()
def measure(model, data: str, offsets: list[float], slice_offsets: set[int]) -> dict[float, dict]:
    train = set(sd.load_split()["train"])
    spacing = sd.spacing(data)
    refs = [r for r in sd.slices(data) if r.patient in train]
    centre = {r.patient: r.slice for r in refs if r.is_center}
    refs = [r for r in refs if r.slice - centre[r.patient] in slice_offsets]
    sums = {o: np.zeros(4, dtype=np.int64) for o in offsets}
    for r in refs:
        grey = sd.read_grey(os.path.join(data, "images", r.file_name()))
        truth = sd.read_semantic_mask(os.path.join(data, "masks", r.file_name()))
        x, (h1, w1) = sd.segmentation_input_v2(grey, *spacing[r.patient])
        logits = model(x.unsqueeze(0))[0][:, :h1, :w1]
        up = sd.resize_bilinear(logits, *grey.shape)
        for o in offsets:
            sums[o] += disc_counts(up, truth, o)
    return {o: {"dice_disc": round(2 * s[0] / s[1], 4), "disc_area_ratio": round(s[3] / max(s[2], 1), 4)}
            for o, s in sums.items()} | {"slices": len(refs)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="spider-t2space folder (training patients of split.json)")
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--out", required=True, help="calibrated checkpoint to write")
    ap.add_argument("--offsets", default="0,-0.5,-1,-1.25,-1.5,-2", help="disc logit offsets to try")
    ap.add_argument("--slice-offsets", default="-4,-2,0,2,4",
                    help="slices of each training patient, counted from its centre slice")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    model, ck = es.load_model(args.checkpoint)
    offsets = [float(v) for v in args.offsets.split(",")]
    if 0.0 not in offsets:
        offsets.insert(0, 0.0)
    table = measure(model, args.data, offsets, {int(v) for v in args.slice_offsets.split(",")})
    slices = table.pop("slices")
    # the best Dice; ties go to the offset whose disc area is nearest the reference's
    best = max(offsets, key=lambda o: (table[o]["dice_disc"], -abs(table[o]["disc_area_ratio"] - 1)))
    for o in offsets:
        print(f"offset {o:+.2f}: disc Dice {table[o]['dice_disc']:.4f}, area ratio "
              f"{table[o]['disc_area_ratio']:.3f}{'  <- chosen' if o == best else ''}", flush=True)
    state = dict(ck["model"])
    key = last_bias_key(state)
    bias = state[key].clone()
    for c in DISC_CHANNELS:
        bias[c] += best
    state[key] = bias
    out = dict(ck, model=state, disc_logit_offset=best,
               calibration={"training_slices": slices, "offsets": {str(o): v for o, v in table.items()},
                            "chosen": best, "from": os.path.abspath(args.checkpoint)})
    torch.save(out, args.out)
    print(json.dumps(out["calibration"]), flush=True)
    print(f"wrote {args.out} (offset {best:+.2f} in {key})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
