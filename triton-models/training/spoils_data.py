"""Shared data access and preprocessing for SPOILS training (see ../CONTRACT.md).

Reads the SPIDER development subset (a folder given on the command line, never bundled):
images/PPP_sliceSS.png, masks/PPP_sliceSS.png, slices.csv, series.csv, gradings.csv.
Everything here is deterministic and mirrors the Java gateway's pre-processing.
"""
from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))

# SPIDER mask values -> semantic class ids of the segmentation model (CONTRACT.md)
SPIDER_TO_SEMANTIC = {0: 0, 29: 1, 76: 2, 150: 3}
SEMANTIC_NAMES = ["background", "disc", "vertebra", "canal"]
SEG_ROWS, SEG_COLS = 320, 256

# The 11 disc classes in model output order (CONTRACT.md)
DISC_CLASSES = ["1L", "2L", "3L", "3M", "3H", "4L", "4M", "4H", "5L", "5M", "5H"]


@dataclass(frozen=True)
class SliceRef:
    patient: int
    slice: int
    is_center: bool

    def file_name(self) -> str:
        return f"{self.patient:03d}_slice{self.slice}.png"


def load_split(path: str | None = None) -> dict:
    """The fixed patient split (split.json): {'train': [...], 'validation': [...]}."""
    with open(path or os.path.join(HERE, "split.json"), encoding="utf-8") as f:
        return json.load(f)


def read_csv(data_dir: str, name: str) -> list[dict]:
    with open(os.path.join(data_dir, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def slices(data_dir: str) -> list[SliceRef]:
    return [SliceRef(int(r["patient"]), int(r["slice"]), r["is_center"] == "1")
            for r in read_csv(data_dir, "slices.csv")]


def spacing(data_dir: str) -> dict[int, tuple[float, float]]:
    """Pixel spacing per patient, (row_mm, col_mm)."""
    return {int(r["patient"]): (float(r["pixel_spacing_row_mm"]), float(r["pixel_spacing_col_mm"]))
            for r in read_csv(data_dir, "series.csv")}


def read_grey(path: str) -> np.ndarray:
    """8-bit render -> float32 H x W (RGBA renders with equal channels are converted to grey)."""
    img = Image.open(path)
    arr = np.asarray(img)
    if arr.ndim == 3:
        if not (np.all(arr[..., 0] == arr[..., 1]) and np.all(arr[..., 1] == arr[..., 2])):
            raise ValueError(f"{os.path.basename(path)} is a colour image")
        arr = arr[..., 0]
    return arr.astype(np.float32)


def read_semantic_mask(path: str) -> np.ndarray:
    """SPIDER mask -> int64 H x W semantic ids 0..3; unknown values are an error."""
    raw = np.asarray(Image.open(path))
    if raw.ndim == 3:
        raw = raw[..., 0]
    out = np.full(raw.shape, -1, dtype=np.int64)
    for value, cls in SPIDER_TO_SEMANTIC.items():
        out[raw == value] = cls
    if (out < 0).any():
        raise ValueError(f"{os.path.basename(path)} has values outside the SPIDER scheme")
    return out


def zscore(t: torch.Tensor) -> torch.Tensor:
    """Z-score over all values: mean and population std in float64, result float32 (CONTRACT.md)."""
    d = t.double()
    mean = d.mean()
    std = d.std(unbiased=False).clamp_min(1e-6)
    return ((d - mean) / std).float()


def resize_bilinear(t: torch.Tensor, rows: int, cols: int) -> torch.Tensor:
    """Bilinear resize of a (..., H, W) float32 tensor (align_corners=False, no antialias)."""
    shape = t.shape
    x = t.reshape(-1, 1, shape[-2], shape[-1]).float()
    y = F.interpolate(x, size=(rows, cols), mode="bilinear", align_corners=False)
    return y.reshape(*shape[:-2], rows, cols)


def segmentation_input(grey: np.ndarray) -> torch.Tensor:
    """Grey H0 x W0 -> model input [1, 320, 256] float32 (resize, then z-score)."""
    t = torch.from_numpy(np.ascontiguousarray(grey, dtype=np.float32))
    return zscore(resize_bilinear(t, SEG_ROWS, SEG_COLS)).unsqueeze(0)
