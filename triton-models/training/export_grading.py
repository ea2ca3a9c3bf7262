"""Export the disc-grading CNN for Triton / ONNX Runtime and write the Java parity fixtures.

  /usr/bin/python3 export_grading.py --data /work/shared/data/spider-t2space \
      --checkpoint /work/ckpt-cnn/final.pt

Writes ../disc_grading/{1/model.onnx, config.pbtxt, labels.txt} (ONNX opset 17, input `crop`
[N,1,128,128], output `probabilities` [N,11] = softmax, dynamic batch) and
gateway/src/test/resources/parity/disc_grading/ (one validation centre slice: the grey image as a
16-bit PNG, disc centroids and spacing in fixture.json, the crops from crops.py and the PyTorch
probabilities on them, little-endian float32 row-major).
"""
from __future__ import annotations

import argparse
import json
import os

import numpy as np
import onnx
import torch
import torch.nn as nn
from PIL import Image

import crops
import grading_data as gd
import spoils_data as sd
import train_grading as tg

REPO = os.path.abspath(os.path.join(sd.HERE, "..", ".."))
MODEL_DIR = os.path.join(REPO, "triton-models", "disc_grading")
PARITY_DIR = os.path.join(REPO, "gateway", "src", "test", "resources", "parity", "disc_grading")
# Triton version folder of the exported model: bump it whenever a retrained model replaces the last.
# Version 1 was the first 31-patient T2 SPACE model; 2 is the T2 TSE/T2 SPACE model of the shared split.
MODEL_VERSION = 2

CONFIG = """name: "disc_grading"
platform: "onnxruntime_onnx"
# All discs of a study (typically 5-9) go in one request; 16 leaves room for two studies.
max_batch_size: 16
input [
  {
    name: "crop"
    data_type: TYPE_FP32
    # 64 mm x 64 mm disc crop, 0.5 mm per pixel, z-scored (CONTRACT.md); batch dim not listed
    dims: [ 1, 128, 128 ]
  }
]
output [
  {
    name: "probabilities"
    data_type: TYPE_FP32
    # softmax over 1L 2L 3L 3M 3H 4L 4M 4H 5L 5M 5H
    dims: [ 11 ]
    label_filename: "labels.txt"
  }
]
dynamic_batching {
  # one lumbar study is 6 discs (L1/L2..L5/S1 plus T12/L1); two studies make 12
  preferred_batch_size: [ 6, 12 ]
  max_queue_delay_microseconds: 2000
  # bounded queue: past 64 waiting requests Triton rejects instead of building unbounded latency
  default_queue_policy {
    max_queue_size: 64
  }
}
instance_group [
  {
    count: 2
    kind: KIND_GPU
  }
]
# Optional TensorRT FP16 through ONNX Runtime's TensorRT execution provider: faster on GPUs with
# tensor cores, but the first load builds an engine (seconds to minutes) and FP16 outputs differ
# from the FP32 reference by more than the 1e-4 parity tolerance. Enable after re-validating.
# optimization {
#   execution_accelerators {
#     gpu_execution_accelerator : [ {
#       name : "tensorrt"
#       parameters { key: "precision_mode" value: "FP16" }
#       parameters { key: "max_workspace_size_bytes" value: "1073741824" }
#     } ]
#   }
# }
"""


class WithSoftmax(nn.Module):
    """The trained network followed by softmax: the served model returns probabilities."""

    def __init__(self, net: nn.Module):
        super().__init__()
        self.net = net

    def forward(self, crop: torch.Tensor) -> torch.Tensor:
        return torch.softmax(self.net(crop), dim=1)


def export_onnx(model: nn.Module, path: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    dummy = torch.zeros(2, 1, crops.CROP_SIZE, crops.CROP_SIZE)
    torch.onnx.export(WithSoftmax(model).eval(), dummy, path, opset_version=17,
                      input_names=["crop"], output_names=["probabilities"],
                      dynamic_axes={"crop": {0: "batch"}, "probabilities": {0: "batch"}},
                      do_constant_folding=True)
    m = onnx.load(path)
    onnx.checker.check_model(m, full_check=True)
    dims = lambda v: [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]
    assert [i.name for i in m.graph.input] == ["crop"] and dims(m.graph.input[0]) == ["batch", 1, 128, 128]
    assert [o.name for o in m.graph.output] == ["probabilities"] and dims(m.graph.output[0]) == ["batch", 11]
    print(f"wrote {path} ({os.path.getsize(path) / 1e6:.1f} MB), opset 17, checker ok")


def write_f32(path: str, arr: np.ndarray) -> None:
    np.ascontiguousarray(arr, dtype="<f4").tofile(path)


def parity_fixtures(model: nn.Module, data_dir: str, patient: int, labels: list[int], out: str) -> None:
    """Fixtures for one validation centre slice and the given discs (ivd labels)."""
    samples = [s for s in gd.disc_samples(data_dir, [patient], max_offset=0) if s.ivd_label in labels]
    if len(samples) != len(labels):
        raise ValueError("requested discs not found on the centre slice")
    grey = gd.load_greys(data_dir, samples)[(patient, samples[0].slice)]
    row_mm, col_mm = sd.spacing(data_dir)[patient]
    if not np.all(grey == np.round(grey)) or grey.max() > 65535:
        raise ValueError("grey image is not integer-valued; a 16-bit PNG would not be exact")
    os.makedirs(out, exist_ok=True)
    Image.fromarray(grey.astype(np.uint16)).save(os.path.join(out, "image.png"))
    x = np.stack([crops.disc_crop(grey, s.cx, s.cy, row_mm, col_mm) for s in samples])[:, None]
    with torch.no_grad():
        probs = WithSoftmax(model).eval()(torch.from_numpy(x)).numpy()
    write_f32(os.path.join(out, "crops.f32"), x)
    write_f32(os.path.join(out, "probabilities.f32"), probs)
    meta = {
        "image": "image.png", "image_dtype": "uint16 grey PNG holding the 0-255 render values",
        "rows": int(grey.shape[0]), "cols": int(grey.shape[1]),
        "pixel_spacing_mm": {"row": row_mm, "col": col_mm},
        "discs": [{"ivd_label": s.ivd_label, "cx": s.cx, "cy": s.cy, "true_class": sd.DISC_CLASSES[s.cls]}
                  for s in samples],
        "crops": {"file": "crops.f32", "dtype": "float32 little-endian", "shape": list(x.shape)},
        "probabilities": {"file": "probabilities.f32", "dtype": "float32 little-endian",
                          "shape": list(probs.shape), "classes": sd.DISC_CLASSES},
        "tolerance": {"crops": 1e-5, "probabilities": 1e-4},
    }
    with open(os.path.join(out, "fixture.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=2)
    print(f"wrote parity fixtures to {out}: {len(samples)} discs, probabilities\n{np.round(probs, 4)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--model-dir", default=MODEL_DIR)
    ap.add_argument("--parity-dir", default=PARITY_DIR)
    ap.add_argument("--parity-patient", type=int, default=sd.load_split()["validation"][0])
    ap.add_argument("--parity-discs", type=int, nargs="+", default=[1, 4])
    args = ap.parse_args()
    torch.set_num_threads(1)
    ck = torch.load(args.checkpoint)
    model = tg.build_model(width=ck.get("width", 1.0))
    model.load_state_dict(ck["model"])
    model.eval()
    export_onnx(model, os.path.join(args.model_dir, str(MODEL_VERSION), "model.onnx"))
    with open(os.path.join(args.model_dir, "config.pbtxt"), "w", encoding="utf-8") as f:
        f.write(CONFIG)
    with open(os.path.join(args.model_dir, "labels.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(sd.DISC_CLASSES) + "\n")
    parity_fixtures(model, args.data, args.parity_patient, args.parity_discs, args.parity_dir)


if __name__ == "__main__":
    main()
