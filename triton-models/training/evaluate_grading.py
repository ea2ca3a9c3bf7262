"""Evaluate the disc-grading CNN on the validation patients' centre slices.

  /usr/bin/python3 evaluate_grading.py --data /work/shared/data/spider-t2space \
      --checkpoint /work/ckpt-cnn/final.pt --out ../disc_grading

Writes <out>/metrics.json, <out>/validation_predictions.json (per disc: patient, ivd_label, slice,
true class, the 11 probabilities, for the Java CNN + trees ensemble evaluation) and
<out>/MODEL_CARD.md. Pfirrmann prediction = the grade with the largest summed probability over its
severity classes.
"""
from __future__ import annotations

import argparse
import json
import os

import numpy as np
import torch

import spoils_data as sd
import train_grading as tg

CLASSES = sd.DISC_CLASSES
GRADE_OF = np.array([int(c[0]) for c in CLASSES])


def grade_probabilities(probs: np.ndarray) -> np.ndarray:
    """[N, 11] class probabilities -> [N, 5] Pfirrmann 1..5 probabilities."""
    return np.stack([probs[:, GRADE_OF == g].sum(axis=1) for g in range(1, 6)], axis=1)


def metrics(probs: np.ndarray, true: np.ndarray) -> dict:
    """11-class accuracy, balanced accuracy (mean recall over the classes present), Pfirrmann exact
    and within-one accuracy, severity accuracy, confusion matrix (rows true, columns predicted)."""
    pred = probs.argmax(axis=1)
    n = len(true)
    conf = np.zeros((len(CLASSES), len(CLASSES)), dtype=int)
    for t, p in zip(true, pred):
        conf[t, p] += 1
    present = [c for c in range(len(CLASSES)) if conf[c].sum() > 0]
    recall = {CLASSES[c]: conf[c, c] / conf[c].sum() for c in present}
    g_true = GRADE_OF[true]
    g_pred = grade_probabilities(probs).argmax(axis=1) + 1
    sev = np.array([c[1] for c in CLASSES])
    nll = -np.log(np.clip(probs[np.arange(n), true], 1e-12, None)).mean()
    return {
        "discs": int(n),
        "accuracy": float((pred == true).mean()),
        "balanced_accuracy": float(np.mean(list(recall.values()))),
        "per_class_recall": {k: float(v) for k, v in recall.items()},
        "pfirrmann_exact": float((g_pred == g_true).mean()),
        "pfirrmann_within_one": float((np.abs(g_pred - g_true) <= 1).mean()),
        "severity_accuracy_of_argmax_class": float((sev[pred] == sev[true]).mean()),
        "mean_nll": float(nll),
        "confusion_matrix": {"rows_true_cols_predicted": CLASSES, "counts": conf.tolist()},
    }


def baseline(train_classes: list[int], true: np.ndarray) -> dict:
    """Always predicting the most frequent training class, for scale."""
    major = int(np.bincount(train_classes, minlength=len(CLASSES)).argmax())
    return {"class": CLASSES[major], "accuracy": float((true == major).mean()),
            "pfirrmann_exact": float((GRADE_OF[true] == GRADE_OF[major]).mean())}


def load_model(checkpoint: str) -> torch.nn.Module:
    ck = torch.load(checkpoint)
    model = tg.build_model(width=ck.get("width", 1.0))
    model.load_state_dict(ck["model"])
    return model.eval()


def qwk(a: np.ndarray, b: np.ndarray, k: int = 5) -> float:
    """Quadratic weighted kappa of two integer ratings in 1..k."""
    o = np.zeros((k, k))
    for x, y in zip(a, b):
        o[x - 1, y - 1] += 1
    w = np.array([[(i - j) ** 2 for j in range(k)] for i in range(k)]) / (k - 1) ** 2
    e = np.outer(o.sum(1), o.sum(0)) / max(o.sum(), 1)
    den = (w * e).sum()
    return float(1 - (w * o).sum() / den) if den > 0 else float("nan")


def ece(probs: np.ndarray, true: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error of the top class probability (equal-width bins)."""
    conf = probs.max(1)
    right = probs.argmax(1) == true
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            total += m.mean() * abs(right[m].mean() - conf[m].mean())
    return float(total)


def ordinal_metrics(probs: np.ndarray, true: np.ndarray) -> dict:
    m = metrics(probs, true)
    g_true = GRADE_OF[true]
    g_pred = grade_probabilities(probs).argmax(axis=1) + 1
    recalls = [float((g_pred[g_true == g] == g).mean()) for g in range(1, 6) if (g_true == g).any()]
    m["pfirrmann_balanced_accuracy"] = float(np.mean(recalls))
    m["pfirrmann_qwk"] = qwk(g_true, g_pred)
    m["ece_11_class"] = ece(probs, true)
    m["ece_pfirrmann"] = ece(grade_probabilities(probs), g_true - 1)
    pc = np.zeros((5, 5), dtype=int)
    for t, q in zip(g_true, g_pred):
        pc[t - 1, q - 1] += 1
    m["pfirrmann_confusion"] = pc.tolist()
    return m


def groups(samples: list[dict]) -> dict[str, list[int]]:
    """Subsets to report: per sequence, and for T2 TSE per vendor and field strength."""
    out: dict[str, list[int]] = {}
    for i, s in enumerate(samples):
        seq = {"t2": "T2 TSE (midsag)", "t2_SPACE": "T2 SPACE (midsag)",
               "t2space_slices": "T2 SPACE (spider-t2space centre slices)"}[s["sequence"]]
        out.setdefault(seq, []).append(i)
        if s["sequence"] == "t2":
            vendor = "Philips" if "philips" in s["manufacturer"].lower() else "Siemens"
            out.setdefault(f"T2 TSE {vendor} {s['field_t']:g} T", []).append(i)
    return out


def evaluate(checkpoint: str, val: list[dict], greys) -> tuple[dict, np.ndarray]:
    model = load_model(checkpoint)
    probs = tg.predict(model, tg.contract_crops(val, greys)).numpy().astype(np.float64)
    true = np.array([s["cls"] for s in val])
    res = {name: ordinal_metrics(probs[idx], true[idx]) for name, idx in groups(val).items()}
    return res, probs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--discs", required=True, help="grading_discs.py output")
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--compare", nargs="*", default=[], help="other checkpoints, reported beside it")
    ap.add_argument("--out", default=os.path.join(sd.HERE, "..", "disc_grading"))
    ap.add_argument("--note", default="", help="text about the training choice for the model card")
    args = ap.parse_args()
    torch.set_num_threads(1)
    with open(args.discs, encoding="utf-8") as f:
        table = json.load(f)
    discs = table["discs"]
    val_ids = set(sd.load_split()["validation"])
    val = [d for d in discs if d["set"] == "validation" and d["patient"] in val_ids]
    train = [d for d in discs if d["set"] == "train"]
    greys = tg.load_greys(val)
    res, probs = evaluate(args.checkpoint, val, greys)
    ck = torch.load(args.checkpoint)
    true = np.array([s["cls"] for s in val])
    m = {"groups": res, "validation_patients": sorted({d["patient"] for d in val}),
         "studies": table.get("studies", {}),
         "training": {"steps": int(ck["step"]), **{k: v for k, v in ck.get("args", {}).items()
                                                    if k not in ("discs", "ckpt_dir")}},
         "train_discs": {seq: sum(1 for d in train if d["sequence"] == seq)
                         for seq in ("t2", "t2_SPACE", "t2space_slices")},
         "train_class_counts": {c: int(n) for c, n in
                                zip(CLASSES, np.bincount([d["cls"] for d in train], minlength=11))},
         "majority_baseline": baseline([d["cls"] for d in train], true),
         "compared": {os.path.basename(os.path.dirname(c)) or c: evaluate(c, val, greys)[0] for c in args.compare},
         "note": args.note}
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "metrics.json"), "w", encoding="utf-8") as f:
        json.dump(m, f, indent=1)
    preds = [{"patient": s["patient"], "sequence": s["sequence"], "ivd_label": s["ivd_label"],
              "true_class": CLASSES[s["cls"]], "true_index": s["cls"],
              "probabilities": [round(float(v), 7) for v in p]} for s, p in zip(val, probs)]
    with open(os.path.join(args.out, "validation_predictions.json"), "w", encoding="utf-8") as f:
        f.write('{"classes": ' + json.dumps(CLASSES) + ',\n "discs": [\n  '
                + ',\n  '.join(json.dumps(p) for p in preds) + '\n]}\n')
    with open(os.path.join(args.out, "MODEL_CARD.md"), "w", encoding="utf-8") as f:
        f.write(model_card(m))
    for name, r in res.items():
        print(f"{name}: n={r['discs']} exact={r['pfirrmann_exact']:.3f} within1={r['pfirrmann_within_one']:.3f} "
              f"bal={r['pfirrmann_balanced_accuracy']:.3f} qwk={r['pfirrmann_qwk']:.3f} acc11={r['accuracy']:.3f} "
              f"ece={r['ece_11_class']:.3f}")
    for c, rr in m["compared"].items():
        for name, r in rr.items():
            print(f"  [{c}] {name}: exact={r['pfirrmann_exact']:.3f} within1={r['pfirrmann_within_one']:.3f} "
                  f"bal={r['pfirrmann_balanced_accuracy']:.3f} qwk={r['pfirrmann_qwk']:.3f}")


def _row(name: str, r: dict) -> str:
    return (f"| {name} | {r['discs']} | {r['pfirrmann_exact']:.3f} | {r['pfirrmann_within_one']:.3f} | "
            f"{r['pfirrmann_balanced_accuracy']:.3f} | {r['pfirrmann_qwk']:.3f} | {r['accuracy']:.3f} | "
            f"{r['ece_11_class']:.3f} |\n")


def model_card(m: dict) -> str:
    head = ("| validation set | discs | Pfirrmann exact | within one | balanced acc. | QWK | 11-class acc. | ECE |\n"
            "|---|---|---|---|---|---|---|---|\n")
    table = "".join(_row(n, r) for n, r in m["groups"].items())
    compared = ""
    for c, rr in m["compared"].items():
        compared += f"\n`{c}`:\n\n" + head + "".join(_row(n, r) for n, r in rr.items())
    t = m["training"]
    tse = m["groups"].get("T2 TSE (midsag)")
    conf = ""
    if tse:
        conf = "| true \\ pred | 1 | 2 | 3 | 4 | 5 |\n|---|---|---|---|---|---|\n" + "".join(
            f"| {g + 1} | " + " | ".join(str(v) for v in row) + " |\n" for g, row in enumerate(tse["pfirrmann_confusion"]))
    studies = "; ".join(f"{k}: " + ", ".join(f"{a} {b}" for a, b in v.items()) for k, v in m["studies"].items())
    counts = ", ".join(f"{c} {n}" for c, n in m["train_class_counts"].items())
    init = "ImageNet MobileNetV2 0.35 (../shared/pretrained, Keras Applications weights, Apache-2.0)" \
        if t.get("init") == "imagenet" else "random (from scratch)"
    return f"""# disc_grading — model card

**Decision support only, not a diagnosis.** The grade is a suggestion for a radiologist to check.

## What it does
Grades one lumbar intervertebral disc from a sagittal **T2** slice (T2 TSE or T2 SPACE; Pfirrmann is
a T2 grade, T1-only studies are not graded) into 11 classes, Pfirrmann grade 1-5 x severity L/M/H:
`{' '.join(CLASSES)}` (`labels.txt`). Input `crop` FP32 [N, 1, 128, 128]: a 64 mm square centred on
the disc centroid, 0.5 mm per pixel, bilinear with border clamp, z-scored (`../CONTRACT.md`). Output
`probabilities` FP32 [N, 11] (softmax). In SPOILS the probabilities are averaged with those of the
gradient-boosted trees on disc geometry (ensemble figures: `../evaluation/grading-ensemble.json`).

## Data and licence
- SPIDER: J.W. van der Graaf et al., "Lumbar spine segmentation in MR images: a dataset and a public
  benchmark", Scientific Data 11:264 (2024), CC BY 4.0: Pfirrmann grades and the findings used for
  severity from SPIDER's radiological gradings; mid-sagittal slice renders of every series
  (spider-midsag: T2 TSE from Siemens and Philips at 1.5 and 3 T, T2 SPACE) and the T2 SPACE slices
  with masks (spider-t2space).
- One patient split for every folder (`training/split.json`): validation patients
  {m['validation_patients'][:8]}... ({len(m['validation_patients'])} patients with graded T2 discs located here); no
  patient is in both sets.
- Training discs: midsag T2 TSE {m['train_discs']['t2']}, midsag T2 SPACE {m['train_discs']['t2_SPACE']},
  spider-t2space slices (centre +-3, reference masks) {m['train_discs']['t2space_slices']}. Classes: {counts}.

## How the discs were found (what serving sees)
Midsag discs were located by the new segmentation model (contract v2) and named upward from its
lumbosacral disc (ivd_label 1 = L5-S1), then joined to the radiologists' grades by level. A study was
left out where the level fit was not confident (`anatomy_check`: fewer than five discs, no single
lowest lumbosacral disc, irregular spacing, no vertebral body between discs, no canal behind, or a
disc count different from the graded count). Studies: {studies}.

## Training
torchvision MobileNetV2, width {t.get('width')}, initialisation: {init}; {t['steps']} steps of batch
{t.get('batch_size')}, AdamW (lr {t.get('lr')}, weight decay {t.get('weight_decay')}), warm-up and cosine decay,
cross-entropy (label smoothing 0.05, mixup Beta({t.get('mixup')}, {t.get('mixup')})) plus
{t.get('ordinal_weight')} x the squared error of the expected Pfirrmann grade (grades are ordered), dropout
{t.get('dropout')}; discs drawn with probability proportional to count(class)^-0.5; crops re-sampled every
step with rotation +-15 degrees, scale 0.85-1.15, centre shift, gamma and noise. The final model is
used (no checkpoint selection on validation). {m['note']}

## Validation (measured; CNN alone, discs located as above)
{head}{table}
Pfirrmann confusion, T2 TSE (rows true, columns predicted):

{conf}
Compared (same validation discs):
{compared}
Majority-class baseline ({m['majority_baseline']['class']}): accuracy {m['majority_baseline']['accuracy']:.3f},
Pfirrmann exact {m['majority_baseline']['pfirrmann_exact']:.3f}. All numbers: `metrics.json`; per-disc
probabilities: `validation_predictions.json`.

## Limits
- Validation discs are those of studies whose level fit was confident; discs in the other studies
  are not scored here (the Java `bin/spoils evaluate-grading` runs the whole pipeline instead).
- Severity labels are a derived rule, not a radiologist's severity grade; rare classes (3H, 5L) are
  barely represented.
- 8-bit renders of the middle slice of each volume, not scanner values and not always the true
  mid-sagittal plane. Two vendors only (Siemens, Philips). Patients and scanners outside SPIDER were
  not validated here.
- Decision support only, not a diagnosis.
"""


if __name__ == "__main__":
    main()
