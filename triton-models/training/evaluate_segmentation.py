#!/usr/bin/python3
"""Evaluate a trained spine_segmentation model on the validation patients of split.json.

  /usr/bin/python3 evaluate_segmentation.py --data DIR --checkpoint CKPT_DIR/final.pt
      [--out ../spine_segmentation]

Inference exactly as the gateway does it (CONTRACT.md): segmentation_input (bilinear resize to
320 x 256, z-score) -> model -> logits resized bilinearly back to the original H0 x W0 -> argmax.
Metrics, on the original-resolution reference masks of the 6 validation patients (13 slices each),
for all slices and for the centre slices alone:
  * Dice of disc, vertebra and canal, pooled over the slices (sum of 2|A.B| / sum of |A|+|B|), and
    the mean of per-slice Dice (slices where both masks lack the class are skipped).
  * Disc level accuracy: discs are found in the reference and in the prediction by the same rule
    (disc_levels: 8-connected pieces of at least --min-area-mm2, default 20 mm2; pieces closer than
    5 mm, or 12 mm apart along the spine axis, merged) and numbered upward from the lowest one
    along the spine axis, as SPIDER numbers them. Each reference disc is matched to the predicted
    disc it overlaps most; it counts as right when that disc has the same number. Missed discs
    count as wrong. This mirrors the counting rule of the feature engine's level labelling, so it
    measures whether the 14 anatomical labels can come from the semantic map.
Writes OUT/metrics.json and OUT/MODEL_CARD.md.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np
import torch
from scipy import ndimage

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spoils_data as sd  # noqa: E402
from deeplab import build_model  # noqa: E402

CLASSES = {1: "disc", 2: "vertebra", 3: "canal"}
EIGHT = np.ones((3, 3), dtype=bool)


def load_model(checkpoint: str) -> tuple[torch.nn.Module, dict]:
    ck = torch.load(checkpoint, map_location="cpu")
    model = build_model(ck["encoder"], 4)
    model.load_state_dict(ck["model"])
    return model.eval(), ck


@torch.no_grad()
def predict(model: torch.nn.Module, grey: np.ndarray) -> np.ndarray:
    """Grey H0 x W0 -> int64 H0 x W0 semantic map, as the gateway computes it."""
    logits = model(sd.segmentation_input(grey).unsqueeze(0))[0]
    return sd.resize_bilinear(logits, *grey.shape).argmax(0).numpy()


FRAGMENT_GAP_MM = 5.0         # pieces whose nearest pixels are closer are one disc
FRAGMENT_AXIAL_GAP_MM = 12.0  # pieces whose centroids are closer along the spine axis are one disc


def disc_levels(mask: np.ndarray, spacing_mm: tuple[float, float], min_area_mm2: float
                ) -> tuple[np.ndarray, dict[int, int]]:
    """Disc groups of a semantic map and their level numbers counted upward from the lowest.

    Returns (group map: int H x W, 0 = no disc, g > 0 = disc group g; {g: level, 1 = lowest}).
    Pieces = 8-connected disc components of at least min_area_mm2. They are ordered along the spine
    axis (principal axis of the piece centroids in mm, pointing caudal = image down), and pieces
    within FRAGMENT_GAP_MM (nearest pixels) or FRAGMENT_AXIAL_GAP_MM (centroids along the axis) of
    each other are merged into one disc, as the feature engine's level labelling does.
    """
    row_mm, col_mm = spacing_mm
    lab, n = ndimage.label(mask == 1, structure=EIGHT)
    ids = np.arange(1, n + 1)
    areas = ndimage.sum_labels(np.ones_like(lab), lab, ids) * row_mm * col_mm if n else []
    pieces = [int(i) for i, a in zip(ids, areas) if a >= min_area_mm2]
    groups = np.zeros_like(lab)
    if not pieces:
        return groups, {}
    cents = np.array([[c[1] * col_mm, c[0] * row_mm] for c in ndimage.center_of_mass(
        np.ones_like(lab), lab, pieces)])  # (x, y) in mm
    axis = np.array([0.0, 1.0])
    if len(pieces) >= 2:
        axis = np.linalg.svd(cents - cents.mean(0), full_matrices=False)[2][0]
        axis = axis if axis[1] >= 0 else -axis  # positive = caudal (larger row)
    proj = cents @ axis
    parent = list(range(len(pieces)))

    def find(i):
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(len(pieces)):
        dist = ndimage.distance_transform_edt(lab != pieces[i], sampling=(row_mm, col_mm))
        for j in range(i + 1, len(pieces)):
            near = dist[lab == pieces[j]].min() < FRAGMENT_GAP_MM
            if near or abs(proj[i] - proj[j]) < FRAGMENT_AXIAL_GAP_MM:
                parent[find(j)] = find(i)
    roots = sorted({find(i) for i in range(len(pieces))})
    gproj = {}
    for r in roots:
        members = [k for k in range(len(pieces)) if find(k) == r]
        gid = roots.index(r) + 1
        for k in members:
            groups[lab == pieces[k]] = gid
        gproj[gid] = float(np.mean([proj[k] for k in members]))
    order = sorted(gproj, key=lambda g: -gproj[g])  # most caudal first
    return groups, {g: k + 1 for k, g in enumerate(order)}


def level_matches(ref: np.ndarray, pred: np.ndarray, spacing_mm, min_area_mm2: float
                  ) -> tuple[int, int, int, int]:
    """(reference discs, right level, detected, predicted discs) for one slice."""
    rlab, rlev = disc_levels(ref, spacing_mm, min_area_mm2)
    plab, plev = disc_levels(pred, spacing_mm, min_area_mm2)
    right = detected = 0
    for rid, level in rlev.items():
        over = plab[(rlab == rid) & (plab > 0)]
        if over.size == 0:
            continue
        detected += 1
        best = int(np.bincount(over).argmax())
        right += int(plev[best] == level)
    return len(rlev), right, detected, len(plev)


def summarise(rows: list[dict]) -> dict:
    out = {"slices": len(rows)}
    for c, name in CLASSES.items():
        inter = sum(r["inter"][c] for r in rows)
        total = sum(r["sum"][c] for r in rows)
        per = [2 * r["inter"][c] / r["sum"][c] for r in rows if r["sum"][c] > 0]
        out[f"dice_{name}"] = round(2 * inter / total, 4) if total else None
        out[f"dice_{name}_mean_per_slice"] = round(float(np.mean(per)), 4) if per else None
    n = sum(r["discs"] for r in rows)
    out["reference_discs"] = n
    out["disc_level_accuracy"] = round(sum(r["right"] for r in rows) / n, 4) if n else None
    out["disc_detection_rate"] = round(sum(r["detected"] for r in rows) / n, 4) if n else None
    out["disc_count_agreement"] = round(float(np.mean([r["count_ok"] for r in rows])), 4)
    return out


def evaluate(model, data_dir: str, min_area_mm2: float) -> tuple[dict, float]:
    val = set(sd.load_split()["validation"])
    spacing = sd.spacing(data_dir)
    rows, t_total = [], 0.0
    for ref in [r for r in sd.slices(data_dir) if r.patient in val]:
        grey = sd.read_grey(os.path.join(data_dir, "images", ref.file_name()))
        truth = sd.read_semantic_mask(os.path.join(data_dir, "masks", ref.file_name()))
        t0 = time.time()
        pred = predict(model, grey)
        t_total += time.time() - t0
        discs, right, detected, n_pred = level_matches(truth, pred, spacing[ref.patient], min_area_mm2)
        rows.append({"patient": ref.patient, "n_pred": n_pred, "center": ref.is_center, "discs": discs, "right": right, "detected": detected,
                     "count_ok": n_pred == discs,
                     "inter": {c: int(((truth == c) & (pred == c)).sum()) for c in CLASSES},
                     "sum": {c: int((truth == c).sum() + (pred == c).sum()) for c in CLASSES}})
    metrics = {"all_slices": summarise(rows), "centre_slices": summarise([r for r in rows if r["center"]]),
               "centre_slice_discs": [{"patient": r["patient"], "reference": r["discs"], "predicted": r["n_pred"],
                                       "level_right": r["right"]} for r in rows if r["center"]]}
    return metrics, t_total / len(rows)


def _fmt(v) -> str:
    return "n/a" if v is None else f"{v:.3f}"


def render_card(result: dict, train_args: dict) -> str:
    """MODEL_CARD.md text with the measured numbers of ``result`` (metrics.json)."""
    a, c = result["validation"]["all_slices"], result["validation"]["centre_slices"]
    table = "\n".join(
        f"| {name} | {_fmt(a[name_key])} | {_fmt(a[name_key + '_mean_per_slice'])} | {_fmt(c[name_key])} "
        f"| {result['aims'][name]['dice_at_least']:.2f} | {'yes' if result['aims'][name]['met_all_slices'] else 'NO'} |"
        for name, name_key in (("disc", "dice_disc"), ("vertebra", "dice_vertebra"), ("canal", "dice_canal")))
    steps = train_args.get("total_steps", result["training_steps"])
    bn = (" After the last step the BatchNorm running statistics were re-estimated in one pass over the"
          " un-augmented training images." if result.get("bn_recalibrated") else "")
    return f"""# spine_segmentation — model card

**Decision support only, not a diagnosis.** The output is a pixel map that feeds measurements a
clinician reviews; it must not be used to make a diagnosis on its own.

## What it is
DeepLabV3+ (ASPP with rates 6/12/18 and image pooling on output-stride-16 features, decoder fusing
stride-4 low-level features) with a `{result["encoder"]}` encoder, trained from scratch (no
pretrained weights). Input `image` FP32 [N, 1, 320, 256] (bilinear resize of the grey sagittal T2
slice to 320 x 256, then z-score; see ../CONTRACT.md); output `logits` FP32 [N, 4, 320, 256] for
`background, disc, vertebra, canal` (labels.txt). The gateway resizes the logits back to the image
size, takes the argmax, and its level labelling names L1-L5, sacrum, the discs and the canal (the 14
anatomical labels) by counting discs upward from the lowest one.

## Data and licence
- SPIDER: J.W. van der Graaf et al., "Lumbar spine segmentation in MR images: a dataset and a
  public benchmark", Scientific Data 11:264 (2024), licence CC BY 4.0. PNG renders of the T2 SPACE
  series and masks from the public repository istiak769/Lumbar-Spine-MRI-Segementation.
- Split (training/split.json, fixed by patient): training on the 25 train patients (all kept
  slices, {result["train_slices"]} slices), validation on the 6 patients {result["validation_patients"]} ({a["slices"]} slices),
  never seen in training and not used for model selection (the last checkpoint is the model).

## Training recipe
Cross-entropy + soft Dice (foreground classes), AdamW (lr {train_args.get("lr", "?")}, weight decay
{train_args.get("weight_decay", "?")}), {train_args.get("warmup", "?")} warm-up steps then cosine decay,
batch {train_args.get("batch", "?")}, {steps} steps (~{steps * train_args.get("batch", 4) / result["train_slices"]:.0f} epochs), seed
{train_args.get("seed", "?")}, on {train_args.get("threads", "?")} CPU threads. Augmentation: rotation
+-10 deg, scale 0.9-1.1, translation +-6 %, left-right flip, gamma 0.7-1.5, random upper intensity
window, gaussian noise; z-score after augmentation.{bn} Command: `train_segmentation.py` (see
training/README.md, section Segmentation).
{("Run notes: " + result["training_note"]) if result.get("training_note") else ""}

## Validation metrics (as measured, {a["slices"]} slices of 6 patients; {c["slices"]} centre slices)
Dice on the original-resolution reference masks, pooled over slices, and the mean of per-slice Dice.

| class | Dice, all slices | mean per-slice Dice | Dice, centre slices | aim | aim met |
|---|---|---|---|---|---|
{table}

Disc levels (the basis for the 14 anatomical labels): {result["level_rule"]}; a reference disc is
right when the predicted disc it overlaps most has the same number.

| | all slices | centre slices |
|---|---|---|
| reference discs | {a["reference_discs"]} | {c["reference_discs"]} |
| level right | {_fmt(a["disc_level_accuracy"])} | {_fmt(c["disc_level_accuracy"])} |
| disc detected | {_fmt(a["disc_detection_rate"])} | {_fmt(c["disc_detection_rate"])} |
| slices with the right disc count | {_fmt(a["disc_count_agreement"])} | {_fmt(c["disc_count_agreement"])} |

CPU inference (PyTorch, {train_args.get("threads", 2)} threads, incl. resize and argmax): {result["cpu_seconds_per_slice"]} s per slice.
Full numbers: metrics.json.

## Limits
- Trained on 25 patients of one public dataset (sagittal T2 SPACE, 8-bit windowed PNG renders);
  other sequences, scanners, field-of-view or DICOM intensity ranges are untested.
- Validation on 6 patients only: the numbers have wide uncertainty.
- The source paper reports Dice 96.9 % with DeepLabV3+/ResNet50 at 512 x 512 and pretrained
  weights; this light model is trained from scratch on CPU for a short time and is below that.
- Level errors come from the disc count: a spurious small disc piece between two discs, or a
  split or missed L5/S1 disc, shifts the number of every disc above it on that slice
  (`centre_slice_discs` in metrics.json lists reference vs predicted counts per centre slice). The
  gateway should treat a disc count outside the expected range as a warning, not rename silently.
- Levels are counted from the lowest visible disc: transitional anatomy (lumbosacral transitional
  vertebra, an extra lower disc) or a field of view that cuts off L5/S1 shifts every name.
- Lateral slices show partial discs and canal; the centre-slice numbers are the relevant ones for
  the gateway's mid-slice measurements.
"""


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True)
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--out", default=os.path.join(sd.HERE, "..", "spine_segmentation"))
    ap.add_argument("--min-area-mm2", type=float, default=20.0,
                    help="smallest disc component counted (reference and prediction), mm^2")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--note", default="", help="free text about this training run for the model card")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    model, ck = load_model(args.checkpoint)
    metrics, sec = evaluate(model, args.data, args.min_area_mm2)
    aims = {"disc": 0.90, "vertebra": 0.90, "canal": 0.85}
    result = {
        "model": "spine_segmentation", "encoder": ck["encoder"], "training_steps": ck["step"],
        "validation_patients": sd.load_split()["validation"],
        "level_rule": f"8-connected disc pieces of >= {args.min_area_mm2:g} mm2, pieces < 5 mm apart or < 12 mm "
                      "apart along the spine axis merged (reference and prediction alike), numbered "
                      "upward from the lowest along the spine axis",
        "train_slices": sum(1 for r in sd.slices(args.data) if r.patient in set(sd.load_split()["train"])),
        "validation": metrics,
        "aims": {k: {"dice_at_least": v, "met_all_slices": (metrics["all_slices"][f"dice_{k}"] or 0) >= v}
                 for k, v in aims.items()},
        "cpu_seconds_per_slice": round(sec, 3),
        "bn_recalibrated": bool(ck.get("bn_recalibrated", False)),
        "training_note": args.note,
    }
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "metrics.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    with open(os.path.join(args.out, "MODEL_CARD.md"), "w", encoding="utf-8") as f:
        f.write(render_card(result, ck.get("args", {})))
    print(json.dumps(result["validation"], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
