#!/usr/bin/python3
"""The research-code way of running SPOILS's two models, as the baseline the Java gateway is
compared with (load-tests/python/compare.sh, PERFORMANCE.md).

One process, PyTorch eager on the CPU with torch.set_num_threads(2), numpy around it, as a
researcher would write it:
  pydicom decode -> resize + z-score (torch/numpy) -> DeepLabV3+ -> logits resized to the image and
  argmax -> disc components (scipy.ndimage, 8-connected, >= 20 mm^2) -> 128 x 128 crops at the disc
  centroids (training/crops.py) -> MobileNetV2 with softmax on all discs in one batch.
It does less than the Java path (no level labelling, geometry, trees or decision), so the comparison
favours Python.

The modules are built from triton-models/training (deeplab.py, train_grading.build_model). The
original checkpoints are gone, so the weights come from the ONNX initializers of
the newest version of triton-models/*/N/model.onnx: the export folded every BatchNorm into the convolution before it, so
each Conv2d met in the forward pass takes the weight and bias of the ONNX Conv node at the same
position in the graph (shapes checked), the BatchNorm after it becomes an identity, and the
classifier's Linear takes the named Gemm initializers. --check writes the reconstructed models'
outputs on the parity fixtures' inputs so that ONNX Runtime (Java) can be compared with them
(compare.sh does that and prints the measured difference); it also prints the difference to the
fixtures' original PyTorch outputs.

Usage: research_baseline.py --models triton-models --repeat 10 --json out.json STUDY.dcm ...
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np
import onnx
import onnx.numpy_helper
import pydicom
import torch
import torch.nn as nn
import torch.nn.functional as F
from scipy import ndimage

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "triton-models", "training"))

import crops  # noqa: E402
import deeplab  # noqa: E402
import spoils_data as sd  # noqa: E402
from train_grading import build_model as build_grading  # noqa: E402

MIN_DISC_MM2 = 20.0


def conv_order(model: nn.Module, example: torch.Tensor) -> list[nn.Conv2d]:
    """The Conv2d modules in the order the forward pass calls them."""
    order: list[nn.Conv2d] = []
    hooks = [m.register_forward_hook(lambda mod, i, o: order.append(mod))
             for m in model.modules() if isinstance(m, nn.Conv2d)]
    with torch.no_grad():
        model(example)
    for h in hooks:
        h.remove()
    return order


def fold_batchnorms(model: nn.Module) -> set[int]:
    """Replaces each BatchNorm2d that directly follows a Conv2d in a Sequential by an identity;
    returns the ids of those convolutions (their ONNX weights already include the BatchNorm)."""
    folded = set()
    for seq in [m for m in model.modules() if isinstance(m, nn.Sequential)]:
        names = list(seq._modules.keys())
        for a, b in zip(names, names[1:]):
            if isinstance(seq._modules[a], nn.Conv2d) and isinstance(seq._modules[b], nn.BatchNorm2d):
                seq._modules[b] = nn.Identity()
                folded.add(id(seq._modules[a]))
    return folded


def load_from_onnx(model: nn.Module, onnx_path: str, example: torch.Tensor,
                   linear: dict[str, nn.Linear] | None = None) -> None:
    graph = onnx.load(onnx_path).graph
    inits = {i.name: torch.from_numpy(onnx.numpy_helper.to_array(i).copy()) for i in graph.initializer}
    order = conv_order(model, example)
    fold_batchnorms(model)
    convs = [n for n in graph.node if n.op_type == "Conv"]
    if len(convs) != len(order):
        raise SystemExit(f"{onnx_path}: {len(convs)} ONNX Conv nodes for {len(order)} Conv2d modules")
    with torch.no_grad():
        for conv, node in zip(order, convs):
            w = inits[node.input[1]]
            if tuple(w.shape) != tuple(conv.weight.shape):
                raise SystemExit(f"{onnx_path}: Conv {node.name} weight {tuple(w.shape)} "
                                 f"does not fit {tuple(conv.weight.shape)}")
            conv.weight.copy_(w)
            bias = inits[node.input[2]] if len(node.input) > 2 else torch.zeros(w.shape[0])
            conv.bias = nn.Parameter(bias.clone())
        for name, lin in (linear or {}).items():
            lin.weight.copy_(inits[name + ".weight"])
            lin.bias.copy_(inits[name + ".bias"])
    model.eval()


def newest_onnx(models_dir: str, model: str) -> str:
    """model.onnx of the model's largest numbered version folder (the one the gateway serves)."""
    root = os.path.join(models_dir, model)
    versions = sorted((int(v) for v in os.listdir(root)
                       if v.isdigit() and os.path.isfile(os.path.join(root, v, "model.onnx"))))
    if not versions:
        raise SystemExit(f"{root}: no version folder with a model.onnx")
    return os.path.join(root, str(versions[-1]), "model.onnx")


def load_models(models_dir: str) -> tuple[nn.Module, nn.Module]:
    seg_onnx = newest_onnx(models_dir, "spine_segmentation")
    # version 3 has the stride-2 refinement stage (mobilenet_v3_r2); version 2 had none
    for encoder in ("mobilenet_v3_r2", "mobilenet_v3"):
        seg = deeplab.build_model(encoder, len(sd.SEMANTIC_NAMES))  # contract v2: 5 classes
        seg.eval()
        try:
            load_from_onnx(seg, seg_onnx, torch.zeros(1, 1, 416, 288))
            break
        except SystemExit:  # its tensors do not fit this architecture
            continue
    else:
        raise SystemExit(f"{seg_onnx}: no known segmentation architecture fits its tensors")
    # MobileNetV2's width multiplier is not in the ONNX file: the one whose tensors fit it
    for width in (0.35, 1.0, 0.5, 0.75):
        grading = build_grading(width=width)
        grading.eval()
        try:
            load_from_onnx(grading, newest_onnx(models_dir, "disc_grading"),
                           torch.zeros(2, 1, crops.CROP_SIZE, crops.CROP_SIZE),
                           linear={"net.classifier.1": grading.classifier[1]})
            return seg, grading
        except (SystemExit, ValueError, RuntimeError) as e:
            last = e
    raise SystemExit(f"disc_grading: no MobileNetV2 width fits the ONNX file ({last})")


def read_dicom(path: str) -> tuple[np.ndarray, float, float]:
    ds = pydicom.dcmread(path)
    grey = ds.pixel_array.astype(np.float32)
    slope = float(getattr(ds, "RescaleSlope", 1.0))
    intercept = float(getattr(ds, "RescaleIntercept", 0.0))
    grey = grey * slope + intercept
    row_mm, col_mm = (float(v) for v in ds.PixelSpacing)
    return grey, row_mm, col_mm


def analyze(path: str, seg: nn.Module, grading: nn.Module) -> dict:
    """One study; returns per-stage seconds and the number of discs graded."""
    t = {}
    t0 = time.perf_counter()
    grey, row_mm, col_mm = read_dicom(path)
    t["decode"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    x, (h1, w1) = sd.segmentation_input_v2(grey, row_mm, col_mm)  # 0.8 mm, padded to 32
    x = x.unsqueeze(0)
    t["preprocess"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    with torch.no_grad():
        logits = seg(x)
    t["segmentation"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    semantic = sd.logits_to_labels(logits[0], h1, w1, grey.shape[0], grey.shape[1])
    t["argmax"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    disc = (semantic == 1) | (semantic == sd.SEMANTIC_NAMES.index("lumbosacral_disc"))
    labels, n = ndimage.label(disc, structure=np.ones((3, 3)))
    sizes = ndimage.sum_labels(np.ones_like(labels), labels, index=np.arange(1, n + 1))
    keep = [i + 1 for i in range(n) if sizes[i] * row_mm * col_mm >= MIN_DISC_MM2]
    centres = ndimage.center_of_mass(np.ones_like(labels), labels, keep)
    batch = np.stack([crops.disc_crop(grey, cx, cy, row_mm, col_mm) for cy, cx in centres]) \
        if centres else np.zeros((0, crops.CROP_SIZE, crops.CROP_SIZE), np.float32)
    t["crops"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    if len(batch):
        with torch.no_grad():
            torch.softmax(grading(torch.from_numpy(batch).unsqueeze(1)), dim=1)
    t["grading"] = time.perf_counter() - t0
    t["total"] = sum(t.values())
    t["discs"] = len(centres)
    return t


def write_f32(path: str, a: np.ndarray) -> None:
    np.ascontiguousarray(a, dtype="<f4").tofile(path)


def check(seg: nn.Module, grading: nn.Module, out_dir: str) -> dict:
    """Reconstructed models on the parity fixtures' inputs: outputs written for ONNX Runtime Java,
    and the largest difference to the fixtures' original PyTorch outputs."""
    os.makedirs(out_dir, exist_ok=True)
    parity = os.path.join(ROOT, "gateway", "src", "test", "resources", "parity")
    x = np.fromfile(os.path.join(parity, "spine_segmentation", "input.f32"), "<f4")
    fixture = json.load(open(os.path.join(parity, "spine_segmentation", "fixture.json")))
    x = x.reshape(-1, 1, *fixture["padded"])
    with torch.no_grad():
        logits = seg(torch.from_numpy(x)).numpy()
    write_f32(os.path.join(out_dir, "seg_input.f32"), x)
    write_f32(os.path.join(out_dir, "seg_torch.f32"), logits)
    stride4 = np.fromfile(os.path.join(parity, "spine_segmentation", "logits_stride4.f32"), "<f4")
    sub = logits[:, :, ::4, ::4].ravel()
    seg_vs_fixture = float(np.abs(sub - stride4).max()) if sub.size == stride4.size else None
    c = np.fromfile(os.path.join(parity, "disc_grading", "crops.f32"), "<f4")
    c = c.reshape(-1, 1, crops.CROP_SIZE, crops.CROP_SIZE)
    with torch.no_grad():
        probs = torch.softmax(grading(torch.from_numpy(c)), dim=1).numpy()
    write_f32(os.path.join(out_dir, "grading_input.f32"), c)
    write_f32(os.path.join(out_dir, "grading_torch.f32"), probs)
    expected = np.fromfile(os.path.join(parity, "disc_grading", "probabilities.f32"), "<f4")
    return {"segmentation_max_abs_diff_to_fixture": seg_vs_fixture,
            "grading_max_abs_diff_to_fixture": float(np.abs(probs.ravel() - expected).max()),
            "segmentation_shape": list(x.shape), "grading_shape": list(c.shape)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("studies", nargs="*", help="DICOM files, one single-slice study each")
    ap.add_argument("--models", default=os.path.join(ROOT, "triton-models"))
    ap.add_argument("--repeat", type=int, default=10, help="timed runs per study after 2 warm-ups")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--check", metavar="DIR", help="write parity outputs for ONNX Runtime Java")
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    t0 = time.perf_counter()
    seg, grading = load_models(args.models)
    result = {"torch": torch.__version__, "threads": torch.get_num_threads(),
              "load_seconds": time.perf_counter() - t0, "studies": []}
    if args.check:
        result["check"] = check(seg, grading, args.check)
        print(json.dumps(result["check"]))
    for path in args.studies:
        for _ in range(2):
            analyze(path, seg, grading)
        runs = [analyze(path, seg, grading) for _ in range(args.repeat)]
        mean = {k: float(np.mean([r[k] for r in runs])) for k in runs[0]}
        entry = {"study": os.path.basename(path), "runs": args.repeat,
                 "mean_ms": {k: v * 1000 for k, v in mean.items() if k != "discs"},
                 "discs": runs[0]["discs"]}
        result["studies"].append(entry)
        print(f"{entry['study']}: {entry['mean_ms']['total']:.1f} ms per study "
              f"({entry['discs']} discs)", flush=True)
    if result["studies"]:
        result["mean_ms_per_study"] = float(np.mean([s["mean_ms"]["total"] for s in result["studies"]]))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
