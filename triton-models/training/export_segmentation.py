#!/usr/bin/python3
"""Export a trained spine_segmentation checkpoint for Triton / the gateway's ONNX Runtime.

  /usr/bin/python3 export_segmentation.py --checkpoint CKPT_DIR/final.pt --data DIR
      [--out ../spine_segmentation] [--parity ../../gateway/src/test/resources/parity/spine_segmentation]

Writes
  OUT/1/model.onnx   opset 17, input `image` [N,1,320,256], output `logits` [N,4,320,256], dynamic N
  OUT/config.pbtxt   Triton ModelConfig (onnxruntime_onnx, max_batch_size 4, dynamic batching with
                     a bounded queue, 2 GPU instances, commented TensorRT FP16 option)
  OUT/labels.txt     the 4 class names, one per line
  PARITY/...         fixtures for the Java side from the centre slice of the first validation
                     patient (see the README.md written there)
and checks the ONNX graph with onnx.checker. There is no Python onnxruntime here: the export is
verified by running the ONNX file with Java ONNX Runtime on --full-logits (see training/README.md).
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
from evaluate_segmentation import load_model  # noqa: E402

NAME = "spine_segmentation"
STRIDE = 4  # parity logits are kept on every 4th row and column to keep the fixture small

CONFIG = f"""# Triton model configuration (inference.ModelConfig, protobuf text format) for the
# DeepLabV3+ spine segmentation; tensor contract in ../CONTRACT.md.
name: "{NAME}"
platform: "onnxruntime_onnx"
max_batch_size: 4
input [
  {{
    name: "image"
    data_type: TYPE_FP32
    dims: [ 1, {sd.SEG_ROWS}, {sd.SEG_COLS} ]
  }}
]
output [
  {{
    name: "logits"
    data_type: TYPE_FP32
    dims: [ 4, {sd.SEG_ROWS}, {sd.SEG_COLS} ]
    label_filename: "labels.txt"
  }}
]
# One study is one slice; batching gathers concurrent studies. The bounded queue makes an overloaded
# server reject requests quickly instead of letting latency grow without limit.
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
# validation patients (evaluate_segmentation.py) before enabling it. To enable, uncomment:
# optimization {{
#   execution_accelerators {{
#     gpu_execution_accelerator : [ {{
#       name : "tensorrt"
#       parameters {{ key: "precision_mode" value: "FP16" }}
#     }} ]
#   }}
# }}
"""

PARITY_README = """# spine_segmentation parity fixtures

Written by `triton-models/training/export_segmentation.py` from the centre slice of a validation
patient (SPIDER development subset, CC BY 4.0, van der Graaf et al., Scientific Data 11:264 (2024);
PNG render from istiak769/Lumbar-Spine-MRI-Segementation). They pin the Java pre-processing, the
served model and the post-processing to the Python reference (`triton-models/CONTRACT.md`,
`triton-models/training/spoils_data.py`). All `.f32` files are float32 little-endian, row-major.

| file | content |
|---|---|
| `image.png` | the grey slice, 16-bit greyscale PNG holding the render's 0-255 values exactly; read each sample as a float (rows x cols in `fixture.json`) |
| `fixture.json` | rows, cols, pixel spacing (mm), file shapes, the sampling of `logits_stride4.f32`, tolerances |
| `input.f32` | `spoils_data.segmentation_input(image)`: shape [1, 1, 320, 256] (bilinear resize to 320 x 256, then z-score) |
| `logits_stride4.f32` | the PyTorch model's `logits` on `input.f32`, kept at rows 0, 4, ..., 316 and columns 0, 4, ..., 252: shape [1, 4, 80, 64] (the full [1, 4, 320, 256] output would be 1.3 MB) |
| `semantic.png` | 8-bit PNG, rows x cols of the original image: logits resized bilinearly back to the image size, argmax, mapped to the SPIDER values 0 background, 29 disc, 76 vertebra, 150 canal |

Checks expected on the Java side: pre-processing of `image.png` equals `input.f32` within 1e-5;
`triton-models/spine_segmentation/1/model.onnx` run by ONNX Runtime on `input.f32` equals
`logits_stride4.f32` at the sampled positions within 1e-4; the gateway's semantic map equals
`semantic.png` except at pixels where two classes' resized logits are within about 1e-4 of each
other (expect at most a handful of pixels; `fixture.json` gives the bound). The fixtures are
regenerated with the model: after re-training, re-run the export so they stay consistent.
"""


def export_onnx(model: torch.nn.Module, path: str, max_mb: float) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    dummy = torch.zeros(1, 1, sd.SEG_ROWS, sd.SEG_COLS)
    torch.onnx.export(model, dummy, path, opset_version=17, input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}}, do_constant_folding=True)
    m = onnx.load(path)
    onnx.checker.check_model(m)
    size = os.path.getsize(path)
    if size >= max_mb * 1024 * 1024:
        raise SystemExit(f"model.onnx is {size / 1e6:.1f} MB, over the {max_mb:g} MB limit for committed files "
                         "(the resnet50 variant is ~160 MB: pass --max-mb and keep it in a model store)")
    ins = [(i.name, [d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim]) for i in m.graph.input]
    outs = [(o.name, [d.dim_param or d.dim_value for d in o.type.tensor_type.shape.dim]) for o in m.graph.output]
    print(f"model.onnx {size / 1e6:.2f} MB, inputs {ins}, outputs {outs}")


def write_f32(path: str, t: torch.Tensor) -> None:
    t.detach().numpy().astype("<f4").tofile(path)


@torch.no_grad()
def write_parity(model: torch.nn.Module, data_dir: str, out: str, full_logits: str | None) -> None:
    first = sd.load_split()["validation"][0]
    ref = next(r for r in sd.slices(data_dir) if r.patient == first and r.is_center)
    grey = sd.read_grey(os.path.join(data_dir, "images", ref.file_name()))
    row_mm, col_mm = sd.spacing(data_dir)[first]
    x = sd.segmentation_input(grey).unsqueeze(0)
    logits = model(x)
    resized = sd.resize_bilinear(logits[0], *grey.shape)
    semantic = resized.argmax(0).numpy()
    top2 = resized.topk(2, dim=0).values
    near_ties = int(((top2[0] - top2[1]) < 1e-4).sum())
    os.makedirs(out, exist_ok=True)
    Image.fromarray(grey.astype(np.uint16)).save(os.path.join(out, "image.png"))
    write_f32(os.path.join(out, "input.f32"), x)
    write_f32(os.path.join(out, "logits_stride4.f32"), logits[:, :, ::STRIDE, ::STRIDE].contiguous())
    lut = np.array([0, 29, 76, 150], dtype=np.uint8)
    Image.fromarray(lut[semantic]).save(os.path.join(out, "semantic.png"))
    if full_logits:
        write_f32(full_logits, logits)
    meta = {
        "rows": int(grey.shape[0]), "cols": int(grey.shape[1]),
        "pixel_spacing_mm": {"row": row_mm, "col": col_mm},
        "image": {"file": "image.png", "bit_depth": 16, "shape": list(grey.shape)},
        "input": {"file": "input.f32", "name": "image", "shape": [1, 1, sd.SEG_ROWS, sd.SEG_COLS]},
        "logits": {"file": "logits_stride4.f32", "name": "logits", "shape": [1, 4, sd.SEG_ROWS // STRIDE,
                   sd.SEG_COLS // STRIDE], "row_stride": STRIDE, "col_stride": STRIDE,
                   "full_shape": [1, 4, sd.SEG_ROWS, sd.SEG_COLS]},
        "semantic": {"file": "semantic.png", "values": {"background": 0, "disc": 29, "vertebra": 76, "canal": 150},
                     "pixels_with_top2_logits_within_1e-4": near_ties},
        "tolerance": {"input": 1e-5, "logits": 1e-4},
    }
    with open(os.path.join(out, "fixture.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    with open(os.path.join(out, "README.md"), "w", encoding="utf-8") as f:
        f.write(PARITY_README)
    total = sum(os.path.getsize(os.path.join(out, n)) for n in os.listdir(out))
    print(f"parity fixtures in {out}: {total / 1e3:.0f} KB, {near_ties} near-tie pixels")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--data", required=True, help="SPIDER subset, for the parity slice")
    ap.add_argument("--out", default=os.path.join(sd.HERE, "..", NAME))
    ap.add_argument("--parity", default=os.path.join(sd.HERE, "..", "..", "gateway", "src", "test", "resources",
                                                     "parity", NAME))
    ap.add_argument("--max-mb", type=float, default=25.0, help="refuse an ONNX file this large or larger")
    ap.add_argument("--full-logits", help="also write the full [1,4,320,256] logits here (for an ONNX check)")
    args = ap.parse_args(argv)
    torch.set_num_threads(2)
    model, _ = load_model(args.checkpoint)
    export_onnx(model, os.path.join(args.out, "1", "model.onnx"), args.max_mb)
    with open(os.path.join(args.out, "config.pbtxt"), "w", encoding="utf-8") as f:
        f.write(CONFIG)
    with open(os.path.join(args.out, "labels.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(sd.SEMANTIC_NAMES) + "\n")
    write_parity(model, args.data, args.parity, args.full_logits)
    return 0


if __name__ == "__main__":
    sys.exit(main())
