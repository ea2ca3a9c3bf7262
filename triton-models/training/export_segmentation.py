#!/usr/bin/python3
"""Export a spine_segmentation checkpoint for Triton / the gateway's ONNX Runtime (contract v2).

  /usr/bin/python3 export_segmentation.py --data DIR --checkpoint CKPT
      [--out ../spine_segmentation] [--parity ../../gateway/src/test/resources/parity/spine_segmentation]
      [--max-mb 25] [--full-logits FILE]

CKPT is a train_segmentation.py final.pt (a dict with "model", the state_dict, and "encoder"), or a
checkpoint of the same architecture that was never trained (then marked "untrained": True).
This script is the one source of everything below: re-run it whenever the checkpoint changes.

Writes
  OUT/1/model.onnx   opset 17, input `image` [N,1,H,W] -> output `logits` [N,5,H,W], dynamic N, H, W
                     (H, W multiples of 32, see ../CONTRACT.md "spine_segmentation (contract v2)")
  OUT/config.pbtxt   Triton ModelConfig: dims [1,-1,-1] / [5,-1,-1], max_batch_size 4, dynamic
                     batching with a bounded queue, 2 GPU instances, commented TensorRT FP16 option;
                     an untrained checkpoint is marked by the parameter `weights`
  OUT/labels.txt     the 5 class names, one per line
  PARITY/...         fixtures for the Java side: the centre slice of the first validation patient,
                     declared with a made-up non-square spacing (PARITY_SPACING_MM) so that both axes
                     resample by different factors and pad (see the README.md written there)
and checks the ONNX graph with onnx.checker and its size. There is no Python onnxruntime here: the
export is checked by the Java parity tests (or OnnxParityCheck.java on --full-logits).
"""
from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np
import onnx
import torch
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spoils_data as sd  # noqa: E402
from deeplab import build_model  # noqa: E402

NAME = "spine_segmentation"
# Triton version folder of the exported model: bump it whenever a retrained model replaces the last.
# Version 1 was the 320x256 4-class model; 2 is contract v2 (0.8 mm, 5 classes); 3 the same contract
# with the stride-2 refinement stage (encoder mobilenet_v3_r2, round 3).
MODEL_VERSION = 5
CLASSES = len(sd.SEMANTIC_NAMES)  # 5: background, disc, vertebra, canal, lumbosacral_disc
SPIDER_VALUES = [0, 29, 76, 150, sd.SPIDER_LUMBOSACRAL]  # semantic class id -> SPIDER-scheme value
STRIDE = 4  # parity logits are kept on every 4th row and column to keep the fixture small
# Made-up spacing of the parity slice (its real one is 0.46875 mm square): row and column resample
# by different factors (640 x 512 -> 400 x 282, padded to 416 x 288), neither a multiple of 32.
PARITY_SPACING_MM = (0.5, 0.44)
EXPORT_SIZE = (416, 288)  # the dummy input traced for the export; every H, W works afterwards

CONFIG = f"""# Triton model configuration (inference.ModelConfig, protobuf text format) for the
# DeepLabV3+ spine segmentation; tensor contract in ../CONTRACT.md ("spine_segmentation (contract
# v2)"). Written by training/export_segmentation.py: edit that script, not this file.
# Images are resampled to {sd.SEG_MM} mm pixels and zero-padded to multiples of {sd.SEG_PAD}, so the
# spatial dims vary with the scanner's field of view (64 to 1024 each): -1 below.
name: "{NAME}"
platform: "onnxruntime_onnx"
max_batch_size: 4
input [
  {{
    name: "image"
    data_type: TYPE_FP32
    dims: [ 1, -1, -1 ]
  }}
]
output [
  {{
    name: "logits"
    data_type: TYPE_FP32
    dims: [ {CLASSES}, -1, -1 ]
    label_filename: "labels.txt"
  }}
]
# The slices of one series (same rows x cols) come in one request, split by the gateway into
# requests of at most max_batch_size. The dynamic batcher gathers only requests whose shapes are
# equal, i.e. studies with the same padded size. The bounded queue makes an overloaded server
# reject requests quickly instead of letting latency grow without limit.
dynamic_batching {{
  preferred_batch_size: [ 2, 4 ]
  max_queue_delay_microseconds: 2000
  default_queue_policy {{
    max_queue_size: 16
  }}
}}
instance_group [
  {{
    count: 2
    kind: KIND_GPU
  }}
]
# Optional TensorRT FP16 acceleration through ONNX Runtime's TensorRT execution provider. Off by
# default: FP16 changes logits by more than the 1e-4 parity tolerance, so validate the Dice on the
# validation patients (evaluate_segmentation.py) before enabling it. With variable spatial dims,
# TensorRT builds an engine per new shape unless given profiles covering 64..1024. To enable,
# uncomment:
# optimization {{
#   execution_accelerators {{
#     gpu_execution_accelerator : [ {{
#       name : "tensorrt"
#       parameters {{ key: "precision_mode" value: "FP16" }}
#     }} ]
#   }}
# }}
"""

UNTRAINED = """# The weights are a random initialisation, not a trained model: its segmentations are
# meaningless. Tests that need a real segmentation skip while this parameter is present.
parameters {
  key: "weights"
  value: { string_value: "untrained" }
}
"""

PARITY_README = """# spine_segmentation parity fixtures

Written by `triton-models/training/export_segmentation.py` (do not edit by hand) from the centre
slice of the first validation patient in the data folder (SPIDER development subset, CC BY 4.0, van der Graaf et al.,
Scientific Data 11:264 (2024); PNG render from istiak769/Lumbar-Spine-MRI-Segementation), declared
with a made-up non-square pixel spacing (`fixture.json`; the real one is 0.46875 mm square) so that
rows and columns resample by different factors and both pad. They pin the Java pre-processing, the
served model and the post-processing to the Python reference (`triton-models/CONTRACT.md`
"spine_segmentation (contract v2)", `triton-models/training/spoils_data.py`). All `.f32` files are
float32 little-endian, row-major.

| file | content |
|---|---|
| `image.png` | the grey slice, 16-bit greyscale PNG holding the render's 0-255 values exactly; read each sample as a float (rows x cols in `fixture.json`) |
| `fixture.json` | rows, cols, pixel spacing (mm), resampled size H1 x W1, padded size Hp x Wp, file shapes, the sampling of `logits_stride4.f32`, tolerances |
| `input.f32` | `spoils_data.segmentation_input_v2(image, row_mm, col_mm)`: shape [1, 1, Hp, Wp] (bilinear resample to H1 x W1 at 0.8 mm, zero padding at the bottom and right, z-score over it all) |
| `logits_stride4.f32` | the PyTorch model's `logits` on `input.f32`, kept at rows 0, 4, ... and columns 0, 4, ... of the padded grid: shape [1, 5, Hp / 4, Wp / 4] |
| `semantic.png` | 8-bit PNG, rows x cols of the original image: `spoils_data.logits_to_labels` (crop to H1 x W1, bilinear resize back to the image size, argmax) mapped to the SPIDER values 0 background, 29 disc, 76 vertebra, 150 canal, 31 lumbosacral disc |

Checks expected on the Java side: pre-processing of `image.png` with the spacing of `fixture.json`
equals `input.f32` within 1e-5; `triton-models/spine_segmentation/VERSION/model.onnx` run by ONNX Runtime
on `input.f32` equals `logits_stride4.f32` at the sampled positions within 1e-4; the gateway's
semantic map equals `semantic.png` except at pixels where two classes' resized logits are within
about 1e-4 of each other (`fixture.json` gives their count). The fixtures are regenerated with the
model: after re-training, re-run the export so they stay consistent.
"""


def load_checkpoint(path: str) -> tuple[torch.nn.Module, dict]:
    """The model of CKPT in eval mode, and the checkpoint dict; a clear exit when it is not v2."""
    ck = torch.load(path, map_location="cpu")
    if not isinstance(ck, dict) or "model" not in ck or "encoder" not in ck:
        raise SystemExit(f"{path}: expected a dict with 'model' (state_dict) and 'encoder'")
    classifier = ck["model"].get("classifier.weight")
    if classifier is None or classifier.shape[0] != CLASSES:
        found = None if classifier is None else classifier.shape[0]
        raise SystemExit(f"{path}: the classifier has {found} classes; contract v2 needs {CLASSES} "
                         f"({', '.join(sd.SEMANTIC_NAMES)})")
    model = build_model(ck["encoder"], CLASSES)
    model.load_state_dict(ck["model"])
    return model.eval(), ck


def export_onnx(model: torch.nn.Module, path: str, max_mb: float) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    dummy = torch.zeros(1, 1, *EXPORT_SIZE)
    axes = {0: "batch", 2: "rows", 3: "cols"}
    torch.onnx.export(model, dummy, path, opset_version=17, input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": axes, "logits": axes}, do_constant_folding=True)
    m = onnx.load(path)
    onnx.checker.check_model(m)
    size = os.path.getsize(path)
    if size >= max_mb * 1024 * 1024:
        raise SystemExit(f"model.onnx is {size / 1e6:.1f} MB, over the {max_mb:g} MB limit for committed files "
                         "(the resnet50 variant is ~160 MB: pass --max-mb and keep it in a model store)")
    ins = [[d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim] for i in m.graph.input]
    outs = [[d.dim_param or d.dim_value for d in o.type.tensor_type.shape.dim] for o in m.graph.output]
    if ins != [["batch", 1, "rows", "cols"]] or outs != [["batch", CLASSES, "rows", "cols"]]:
        raise SystemExit(f"unexpected ONNX shapes: inputs {ins}, outputs {outs}")
    print(f"model.onnx {size / 1e6:.2f} MB, image {ins[0]} -> logits {outs[0]}")


def write_f32(path: str, t: torch.Tensor) -> None:
    t.detach().numpy().astype("<f4").tofile(path)


def parity_slice(data_dir: str) -> np.ndarray:
    """The centre slice of the first validation patient (split.json order) that DIR holds."""
    centres = {r.patient: r for r in sd.slices(data_dir) if r.is_center}
    patient = next((p for p in sd.load_split()["validation"] if p in centres), None)
    if patient is None:
        raise SystemExit(f"{data_dir} holds no centre slice of a validation patient")
    return sd.read_grey(os.path.join(data_dir, "images", centres[patient].file_name()))


@torch.no_grad()
def write_parity(model: torch.nn.Module, data_dir: str, out: str, full_logits: str | None) -> None:
    grey = parity_slice(data_dir)
    rows, cols = grey.shape
    row_mm, col_mm = PARITY_SPACING_MM
    x, (h1, w1) = sd.segmentation_input_v2(grey, row_mm, col_mm)
    x = x.unsqueeze(0)
    hp, wp = x.shape[-2:]
    logits = model(x)
    semantic = sd.logits_to_labels(logits[0], h1, w1, rows, cols)
    resized = sd.resize_bilinear(logits[0, :, :h1, :w1], rows, cols)
    top2 = resized.topk(2, dim=0).values
    near_ties = int(((top2[0] - top2[1]) < 1e-4).sum())
    os.makedirs(out, exist_ok=True)
    Image.fromarray(grey.astype(np.uint16)).save(os.path.join(out, "image.png"))
    write_f32(os.path.join(out, "input.f32"), x)
    write_f32(os.path.join(out, "logits_stride4.f32"), logits[:, :, ::STRIDE, ::STRIDE].contiguous())
    Image.fromarray(np.array(SPIDER_VALUES, dtype=np.uint8)[semantic]).save(os.path.join(out, "semantic.png"))
    if full_logits:
        write_f32(full_logits, logits)
    counts = np.bincount(semantic.ravel(), minlength=CLASSES)
    meta = {
        "rows": int(rows), "cols": int(cols),
        "pixel_spacing_mm": {"row": row_mm, "col": col_mm},
        "resampled": [int(h1), int(w1)], "padded": [int(hp), int(wp)],
        "image": {"file": "image.png", "bit_depth": 16, "shape": [int(rows), int(cols)]},
        "input": {"file": "input.f32", "name": "image", "shape": [1, 1, int(hp), int(wp)]},
        "logits": {"file": "logits_stride4.f32", "name": "logits",
                   "shape": [1, CLASSES, -(-int(hp) // STRIDE), -(-int(wp) // STRIDE)],
                   "row_stride": STRIDE, "col_stride": STRIDE, "full_shape": [1, CLASSES, int(hp), int(wp)]},
        "semantic": {"file": "semantic.png",
                     "values": dict(zip(sd.SEMANTIC_NAMES, SPIDER_VALUES)),
                     "pixels_per_class": {n: int(c) for n, c in zip(sd.SEMANTIC_NAMES, counts)},
                     "pixels_with_top2_logits_within_1e-4": near_ties},
        "tolerance": {"input": 1e-5, "logits": 1e-4},
    }
    with open(os.path.join(out, "fixture.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    with open(os.path.join(out, "README.md"), "w", encoding="utf-8") as f:
        f.write(PARITY_README.replace("VERSION", str(MODEL_VERSION)))
    total = sum(os.path.getsize(os.path.join(out, n)) for n in os.listdir(out))
    print(f"parity fixtures in {out}: {total / 1e3:.0f} KB, {rows}x{cols} -> {h1}x{w1} -> {hp}x{wp}, "
          f"{near_ties} near-tie pixels")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--data", required=True, help="SPIDER subset, for the parity slice")
    ap.add_argument("--out", default=os.path.join(sd.HERE, "..", NAME))
    ap.add_argument("--parity", default=os.path.join(sd.HERE, "..", "..", "gateway", "src", "test", "resources",
                                                     "parity", NAME))
    ap.add_argument("--max-mb", type=float, default=25.0, help="refuse an ONNX file this large or larger")
    ap.add_argument("--full-logits", help="also write the full [1,5,Hp,Wp] logits here (for an ONNX check)")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    model, ck = load_checkpoint(args.checkpoint)
    export_onnx(model, os.path.join(args.out, str(MODEL_VERSION), "model.onnx"), args.max_mb)
    with open(os.path.join(args.out, "config.pbtxt"), "w", encoding="utf-8") as f:
        f.write(CONFIG + (UNTRAINED if ck.get("untrained") else ""))
    with open(os.path.join(args.out, "labels.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(sd.SEMANTIC_NAMES) + "\n")
    write_parity(model, args.data, args.parity, args.full_logits)
    return 0


if __name__ == "__main__":
    sys.exit(main())
