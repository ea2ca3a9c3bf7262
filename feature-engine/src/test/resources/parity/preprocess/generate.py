#!/usr/bin/python3
"""Regenerates the pre-processing parity fixtures for io.spoils.feature.tensor (Java) from the
Python training code (triton-models/training/spoils_data.py, the reference of CONTRACT.md).

Run with Debian's interpreter (torch 1.13), from the repository root:
  /usr/bin/python3 feature-engine/src/test/resources/parity/preprocess/generate.py \
      /work/shared/data/spider-t2space

The disc crops come from the grading helper's triton-models/training/crops.py (disc_crop) when it
is importable (in that folder, or on PYTHONPATH); otherwise from the CONTRACT.md formula below,
which gives bit-identical crops. fixtures.json records which one was used.

Writes next to this script: region.png (a crop of one real SPIDER slice, CC BY 4.0, see README.md),
*.f32 (little-endian float32, row-major), *.u8 (uint8) and fixtures.json (shapes and parameters).
"""
import json
import os
import sys

import numpy as np
import torch
from PIL import Image
from scipy import ndimage

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, *[".."] * 6))
sys.path.insert(0, os.path.join(REPO, "triton-models", "training"))
import spoils_data as sd  # noqa: E402

try:  # the grading helper's crop, once it exists; else the CONTRACT.md formula below
  import crops as contract_crops  # noqa: E402
except ImportError:
  contract_crops = None

SLICE = "005_slice59.png"
ROWS, COLS = slice(200, 580), slice(150, 450)  # 380 x 300 region holding the lower lumbar discs
SPACING = (0.46875, 0.46875)  # series.csv, patient 5 (row_mm, col_mm)
ANISOTROPIC = (0.6, 0.4)  # made-up spacing to exercise the per-axis step of the crop
# Made-up spacing of the segmentation input (contract v2): rows and columns resample by different
# factors, 380 x 300 -> 261 x 158 at 0.8 mm, padded to 288 x 160.
SEG_SPACING = (0.55, 0.42)
# Synthetic logits [5, 64, 64] of a padded grid whose top-left 50 x 45 is the resampled image.
LOGITS_PADDED, LOGITS_CROP = (64, 64), (50, 45)


def disc_crop(grey, cx, cy, row_mm, col_mm):
  """CONTRACT.md disc_grading crop: 128 x 128 at 0.5 mm, float64 bilinear, border clamp, z-score."""
  if contract_crops is not None and hasattr(contract_crops, "disc_crop"):
    return np.asarray(contract_crops.disc_crop(grey, cx, cy, row_mm, col_mm), dtype=np.float32)
  g = grey.astype(np.float64)
  h, w = g.shape
  k = np.arange(128, dtype=np.float64)
  xs = cx + ((k + 0.5) - 64) * 0.5 / col_mm
  ys = cy + ((k + 0.5) - 64) * 0.5 / row_mm
  x, y = np.meshgrid(xs, ys)
  fx, fy = np.floor(x), np.floor(y)
  wx, wy = x - fx, y - fy
  x0 = np.clip(fx, 0, w - 1).astype(int)
  x1 = np.clip(fx + 1, 0, w - 1).astype(int)
  y0 = np.clip(fy, 0, h - 1).astype(int)
  y1 = np.clip(fy + 1, 0, h - 1).astype(int)
  top = (1 - wx) * g[y0, x0] + wx * g[y0, x1]
  bottom = (1 - wx) * g[y1, x0] + wx * g[y1, x1]
  crop = (1 - wy) * top + wy * bottom
  return sd.zscore(torch.from_numpy(crop)).numpy()


def write(name, array, dtype, entries, **extra):
  arr = np.ascontiguousarray(array, dtype=dtype)
  arr.astype(arr.dtype.newbyteorder("<")).tofile(os.path.join(HERE, name))
  entries[name] = {"shape": list(arr.shape), **extra}


def main(data_dir):
  entries = {}
  grey = sd.read_grey(os.path.join(data_dir, "images", SLICE))[ROWS, COLS]
  Image.fromarray(grey.astype(np.uint8), mode="L").save(os.path.join(HERE, "region.png"))
  grey = np.asarray(Image.open(os.path.join(HERE, "region.png"))).astype(np.float32)

  seg, (h1, w1) = sd.segmentation_input_v2(grey, *SEG_SPACING)
  write("seg_input.f32", seg.numpy(), np.float32, entries, source="region.png",
        rowMm=SEG_SPACING[0], colMm=SEG_SPACING[1], resampled=[h1, w1])

  mask = sd.read_semantic_mask(os.path.join(data_dir, "masks", SLICE))[ROWS, COLS]
  components, n = ndimage.label(mask == 1)
  for disc in range(1, n + 1):
    ys, xs = np.nonzero(components == disc)
    if len(ys) < 50:
      continue
    cx, cy = float(xs.mean()), float(ys.mean())
    write(f"crop_disc{disc}.f32", disc_crop(grey, cx, cy, *SPACING), np.float32, entries,
          source="region.png", cx=cx, cy=cy, rowMm=SPACING[0], colMm=SPACING[1])
    if disc == 1:
      write(f"crop_disc{disc}_aniso.f32", disc_crop(grey, cx, cy, *ANISOTROPIC), np.float32,
            entries, source="region.png", cx=cx, cy=cy, rowMm=ANISOTROPIC[0], colMm=ANISOTROPIC[1])

  rng = np.random.default_rng(20240601)
  small = (rng.standard_normal((29, 41)) * 40 + 100).astype(np.float32)
  write("resize_in.f32", small, np.float32, entries)
  for rows, cols in [(11, 17), (53, 67), (29, 41)]:
    out = sd.resize_bilinear(torch.from_numpy(small), rows, cols).numpy()
    write(f"resize_{rows}x{cols}.f32", out, np.float32, entries, source="resize_in.f32")

  # Smooth random logits (a real network's are smooth too) so that the argmax has regions.
  # The padding (outside the top-left crop) holds large values: the crop must not read it.
  logits = ndimage.gaussian_filter(rng.standard_normal((5, *LOGITS_PADDED)), sigma=(0, 2, 2)) * 10
  logits[4, LOGITS_CROP[0]:, :] = 1e3
  logits[4, :, LOGITS_CROP[1]:] = 1e3
  logits = logits.astype(np.float32)
  write("logits.f32", logits, np.float32, entries, resampled=list(LOGITS_CROP))
  labels = sd.logits_to_labels(torch.from_numpy(logits), *LOGITS_CROP, 77, 61)
  spider = np.array([0, 29, 76, 150, sd.SPIDER_LUMBOSACRAL], dtype=np.uint8)[labels]
  write("semantic_77x61.u8", spider, np.uint8, entries, source="logits.f32")

  index = {"crop_reference": "crops.py" if contract_crops else "CONTRACT.md formula in generate.py",
           "files": entries}
  with open(os.path.join(HERE, "fixtures.json"), "w", encoding="utf-8") as f:
    json.dump(index, f, indent=1, sort_keys=True)
    f.write("\n")


if __name__ == "__main__":
  main(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/spider-t2space")
