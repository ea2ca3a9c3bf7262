"""Class logit offsets of a segmentation checkpoint, chosen on the training patients, folded into it.

Models trained with cross-entropy + soft Dice draw discs too large (round 3: disc area 1.10 x the
reference on its own training slices). A constant added to the two disc logits (disc, lumbosacral
disc) moves every disc boundary; this command measures pooled disc Dice on training patients' slices
(inference exactly as the gateway's, CONTRACT.md v2) for each offset of --offsets, keeps the best,
and writes a checkpoint whose last convolution's bias carries it (bilinear resizing keeps a constant
offset, so the served model needs nothing else). Validation patients are never read.

--vertebra-offsets and --canal-offsets add those classes: every combination of the three offset
lists is measured and the one with the highest mean pooled Dice of the varied classes is kept
(round 5 drew vertebrae and canal 1.1x the reference's area). With their defaults (0) the command
chooses the disc offset alone, as for rounds 3 and 4.

    /usr/bin/python3 calibrate_segmentation.py --data $DATA --checkpoint /work/ckpt-seg/r3/final.pt \
        --out /work/ckpt-seg/r3/calibrated.pt
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evaluate_segmentation as es  # noqa: E402
import spoils_data as sd  # noqa: E402

DISC_CHANNELS = (1, 4)  # disc, lumbosacral disc
VERTEBRA_CHANNEL = 2
CANAL_CHANNEL = 3
CLASSES = ("disc", "vertebra", "canal")


def last_bias_key(state: dict) -> str:
    """The bias of the convolution whose output is the logits (refinement stage, else classifier)."""
    return "refine.out.bias" if "refine.out.bias" in state else "classifier.bias"


def offset_vector(disc: float, vertebra: float, canal: float) -> torch.Tensor:
    """The per-class logit offsets [background, disc, vertebra, canal, lumbosacral disc]."""
    v = torch.zeros(5)
    for c in DISC_CHANNELS:
        v[c] = disc
    v[VERTEBRA_CHANNEL] = vertebra
    v[CANAL_CHANNEL] = canal
    return v


def class_counts(logits_up: torch.Tensor, truth: np.ndarray, offsets: torch.Tensor) -> np.ndarray:
    """Per class of CLASSES: |A.B|, |A|+|B|, |A|, |B| after adding offsets to the logits."""
    pred = (logits_up + offsets[:, None, None]).argmax(0).numpy()
    out = []
    for name, a, b in (("disc", truth == es.DISC, (pred == es.DISC) | (pred == es.LUMBOSACRAL)),
                       ("vertebra", truth == es.VERTEBRA, pred == es.VERTEBRA),
                       ("canal", truth == es.CANAL, pred == es.CANAL)):
        out += [int((a & b).sum()), int(a.sum() + b.sum()), int(a.sum()), int(b.sum())]
    return np.array(out, dtype=np.int64)


@torch.no_grad()
def measure(model, data: str, grid: list[tuple[float, float, float]], slice_offsets: set[int]
            ) -> dict:
    """Pooled Dice and area ratio per class for each (disc, vertebra, canal) offset triple."""
    train = set(sd.load_split()["train"])
    spacing = sd.spacing(data)
    refs = [r for r in sd.slices(data) if r.patient in train]
    centre = {r.patient: r.slice for r in refs if r.is_center}
    refs = [r for r in refs if r.slice - centre[r.patient] in slice_offsets]
    sums = {t: np.zeros(4 * len(CLASSES), dtype=np.int64) for t in grid}
    vectors = {t: offset_vector(*t) for t in grid}
    for r in refs:
        grey = sd.read_grey(os.path.join(data, "images", r.file_name()))
        truth = sd.read_semantic_mask(os.path.join(data, "masks", r.file_name()))
        x, (h1, w1) = sd.segmentation_input_v2(grey, *spacing[r.patient])
        logits = model(x.unsqueeze(0))[0][:, :h1, :w1]
        up = sd.resize_bilinear(logits, *grey.shape)
        for t in grid:
            sums[t] += class_counts(up, truth, vectors[t])
    table = {}
    for t, s in sums.items():
        row = {}
        for k, name in enumerate(CLASSES):
            i, tot, ref, pred = s[4 * k:4 * k + 4]
            row[f"dice_{name}"] = round(2 * i / tot, 4) if tot else None
            row[f"{name}_area_ratio"] = round(pred / max(ref, 1), 4)
        table[t] = row
    return {"table": table, "slices": len(refs)}


def objective(row: dict, varied: list[str]) -> float:
    """What the search maximises: the mean pooled Dice of the classes whose offset varies."""
    return float(np.mean([row[f"dice_{c}"] for c in varied]))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="spider-t2space folder (training patients of split.json)")
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--out", required=True, help="calibrated checkpoint to write")
    ap.add_argument("--offsets", default="0,-0.5,-1,-1.25,-1.5,-2", help="disc logit offsets to try")
    ap.add_argument("--vertebra-offsets", default="0",
                    help="vertebra logit offsets to try (default 0: the vertebra logit is kept)")
    ap.add_argument("--canal-offsets", default="0",
                    help="canal logit offsets to try (default 0: the canal logit is kept)")
    ap.add_argument("--slice-offsets", default="-4,-2,0,2,4",
                    help="slices of each training patient, counted from its centre slice")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    model, ck = es.load_model(args.checkpoint)

    def values(text: str) -> list[float]:
        v = [float(x) for x in text.split(",")]
        return v if 0.0 in v else [0.0] + v

    axes = {"disc": values(args.offsets), "vertebra": values(args.vertebra_offsets),
            "canal": values(args.canal_offsets)}
    varied = [c for c in CLASSES if len(axes[c]) > 1] or ["disc"]
    grid = list(itertools.product(axes["disc"], axes["vertebra"], axes["canal"]))
    measured = measure(model, args.data, grid, {int(v) for v in args.slice_offsets.split(",")})
    table = measured["table"]
    # the best mean Dice of the varied classes; ties go to the offsets whose areas are nearest the
    # reference's
    best = max(grid, key=lambda t: (objective(table[t], varied),
                                    -sum(abs(table[t][f"{c}_area_ratio"] - 1) for c in varied)))
    for t in grid:
        row = table[t]
        print("offsets disc {:+.2f} vertebra {:+.2f} canal {:+.2f}: ".format(*t)
              + ", ".join(f"{c} Dice {row[f'dice_{c}']:.4f} area {row[f'{c}_area_ratio']:.3f}"
                          for c in CLASSES) + ("  <- chosen" if t == best else ""), flush=True)
    state = dict(ck["model"])
    key = last_bias_key(state)
    state[key] = state[key].clone() + offset_vector(*best).to(state[key].dtype)
    chosen = dict(zip(CLASSES, best))
    out = dict(ck, model=state, disc_logit_offset=best[0], logit_offsets=chosen,
               calibration={"training_slices": measured["slices"], "varied": varied,
                            "offsets": {",".join(f"{v:g}" for v in t): table[t] for t in grid},
                            "chosen": chosen, "from": os.path.abspath(args.checkpoint)})
    torch.save(out, args.out)
    print(json.dumps(out["calibration"]["chosen"]), flush=True)
    print(f"wrote {args.out} (offsets {chosen} in {key})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
