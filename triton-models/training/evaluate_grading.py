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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--out", default=os.path.join(sd.HERE, "..", "disc_grading"))
    args = ap.parse_args()
    torch.set_num_threads(1)
    split = sd.load_split()
    samples, x = tg.centre_crops(args.data, split["validation"])
    ck = torch.load(args.checkpoint)
    model = load_model(args.checkpoint)
    probs = tg.predict(model, x).numpy().astype(np.float64)
    true = np.array([s.cls for s in samples])
    train_classes = [s.cls for s in tg.gd.disc_samples(args.data, split["train"], max_offset=0)]
    m = metrics(probs, true)
    m["majority_baseline"] = baseline(train_classes, true)
    m["validation_patients"] = split["validation"]
    m["evaluated_on"] = "contract crops of the graded discs on each validation patient's centre slice"
    m["training"] = {"steps": int(ck["step"]), **{k: v for k, v in ck.get("args", {}).items()
                                                   if k not in ("data", "ckpt_dir")}}
    m["train_graded_discs"] = sum(len(tg.gd.gradings(args.data).get(p, {})) for p in split["train"])
    m["train_class_counts_centre_slice"] = {c: int(n) for c, n in
                                            zip(CLASSES, np.bincount(train_classes, minlength=11))}
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "metrics.json"), "w", encoding="utf-8") as f:
        json.dump(m, f, indent=2)
    preds = [{"patient": s.patient, "ivd_label": s.ivd_label, "slice": s.slice,
              "true_class": CLASSES[s.cls], "true_index": s.cls,
              "probabilities": [round(float(v), 7) for v in p]} for s, p in zip(samples, probs)]
    with open(os.path.join(args.out, "validation_predictions.json"), "w", encoding="utf-8") as f:
        # one disc per line: small diffs, easy to read
        f.write('{"classes": ' + json.dumps(CLASSES) + ',\n "discs": [\n  '
                + ',\n  '.join(json.dumps(p) for p in preds) + '\n]}\n')
    with open(os.path.join(args.out, "MODEL_CARD.md"), "w", encoding="utf-8") as f:
        f.write(model_card(m))
    print(json.dumps({k: m[k] for k in ("discs", "accuracy", "balanced_accuracy", "pfirrmann_exact",
                                        "pfirrmann_within_one", "majority_baseline")}, indent=1))


def model_card(m: dict) -> str:
    conf = m["confusion_matrix"]["counts"]
    header = "| true \\ pred | " + " | ".join(CLASSES) + " |\n|---" * 1 + "|---" * len(CLASSES) + "|\n"
    rows = "".join(f"| {c} | " + " | ".join(str(v) for v in conf[i]) + " |\n"
                   for i, c in enumerate(CLASSES) if sum(conf[i]) > 0)
    t = m["training"]
    counts = ", ".join(f"{c} {n}" for c, n in m["train_class_counts_centre_slice"].items())
    recall = ", ".join(f"{c} {v:.2f}" for c, v in m["per_class_recall"].items())
    return f"""# disc_grading — model card

**Decision support only, not a diagnosis.** The grade is a suggestion for a radiologist to check.

## What it does
Grades one lumbar intervertebral disc from a sagittal T2 slice into 11 classes, Pfirrmann grade 1-5 x
severity L/M/H: `{' '.join(CLASSES)}` (`labels.txt`). Input `crop` FP32 [N, 1, 128, 128]: a 64 mm
square centred on the disc centroid, 0.5 mm per pixel, bilinear with border clamp, z-scored
(`../CONTRACT.md`). Output `probabilities` FP32 [N, 11] (softmax). In SPOILS the probabilities are
averaged with those of the gradient-boosted trees on disc geometry.

## Data and licence
- SPIDER: J.W. van der Graaf et al., "Lumbar spine segmentation in MR images: a dataset and a public
  benchmark", Scientific Data 11:264 (2024), CC BY 4.0. Pfirrmann grades and the findings used for
  severity come from SPIDER's radiological gradings.
- PNG renders of the T2-SPACE series and masks: public repository
  istiak769/Lumbar-Spine-MRI-Segementation (8-bit windowed renders, not scanner values).
- Development subset of 31 patients, fixed patient split (`training/split.json`): 25 train,
  6 validation (patients {m['validation_patients']}). No patient is in both.

## Labels
Severity is derived (SPIDER has none): score = narrowing + upper endplate + lower endplate +
(Modic > 0) + herniation + spondylolisthesis; L if <= 1, M if 2-3, H if >= 4; Pfirrmann 1 and 2
are always L. Discs are identified by counting the disc components of the reference mask upward from
the lowest (ivd_label 1 = L5/S1; 0 = extra transitional disc).
Train discs per class (centre slice): {counts} ({sum(m['train_class_counts_centre_slice'].values())} of
the {m['train_graded_discs']} graded training discs; the others have no disc component on the centre
slice, e.g. a top disc outside the field of view, and are not used). Classes 3H and 5L have one training disc each; the
model cannot learn them.

## Training
torchvision MobileNetV2 (`weights=None`, trained from scratch, 1-channel stem, dropout
{t.get('dropout', 0.2)}), {t['steps']} steps of batch {t.get('batch_size')}, AdamW (lr {t.get('lr')}, weight
decay {t.get('weight_decay')}), linear warm-up then cosine decay, cross-entropy with label smoothing
0.05, mixup Beta({t.get('mixup', 0)}, {t.get('mixup', 0)}) (0 = off), CPU, one thread, seed {t.get('seed')}.
Each graded disc on the centre slice and the slices within +-{t.get('max_offset')} (the grade belongs to
the disc), crops re-sampled every step with rotation +-15 degrees, scale 0.85-1.15, centre shift
(sd 1.5 mm), gamma 0.74-1.35 and Gaussian noise. Class imbalance: discs drawn with probability
proportional to count(class)^-0.5. The final model is used (no checkpoint selection on the
validation set). Recipe history: a first run without mixup, dropout 0.2, weight decay 0.01 and
slices +-2 reached 86% training but 32% validation accuracy (validation NLL 2.86, worse than a
uniform guess) after 500 steps; it was stopped and this regularised recipe trained instead. That
choice looked at the validation curve once, so the validation numbers below are slightly optimistic.

## Validation (measured, {m['discs']} discs of the 6 validation patients, centre slice)
| metric | value |
|---|---|
| 11-class accuracy | {m['accuracy']:.3f} |
| balanced accuracy (classes present) | {m['balanced_accuracy']:.3f} |
| Pfirrmann exact | {m['pfirrmann_exact']:.3f} |
| Pfirrmann within one | {m['pfirrmann_within_one']:.3f} |
| severity (of the argmax class) | {m['severity_accuracy_of_argmax_class']:.3f} |
| mean negative log-likelihood | {m['mean_nll']:.3f} |
| majority-class baseline ({m['majority_baseline']['class']}) accuracy | {m['majority_baseline']['accuracy']:.3f} |

Per-class recall: {recall}.

Confusion matrix (rows true, columns predicted; only classes present in validation):

{header}{rows}
All numbers are in `metrics.json`; per-disc probabilities in `validation_predictions.json`.

## Limits
- Tiny data: {sum(m['train_class_counts_centre_slice'].values())} training discs, {m['discs']} validation discs from 6 patients; the validation numbers have
  wide confidence intervals (one disc is about 2 percentage points) and rare classes (3H, 5L, 5M, 3M)
  are barely represented in either set.
- Severity labels are a derived rule, not a radiologist's severity grade.
- One scanner family (SIEMENS 3D SPACE T2 resampled renders, 8-bit windowed). Other sequences,
  scanners, 2D T2 TSE or DICOM intensities were not validated.
- Disc centroids at validation come from the reference masks; in production they come from the
  segmentation model, whose errors add to these.
- Decision support only, not a diagnosis.
"""


if __name__ == "__main__":
    main()
