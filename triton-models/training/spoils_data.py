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
SEMANTIC_NAMES = ["background", "disc", "vertebra", "canal", "lumbosacral_disc"]
# Segmentation contract v2 (CONTRACT.md): one physical pixel size, padded to multiples of SEG_PAD.
SEG_MM = 0.8
SEG_PAD = 32
SEG_MIN_PX, SEG_MAX_PX = 64, 1024
# The semantic map value of the lumbosacral (L5-S1) disc in the SPIDER-scheme map the gateway builds.
SPIDER_LUMBOSACRAL = 31

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


def resampled_size(rows: int, cols: int, row_mm: float, col_mm: float) -> tuple[int, int]:
    """(H1, W1) of an H0 x W0 image resampled to SEG_MM pixels (CONTRACT.md, float64, half up)."""
    h1 = max(1, int(np.floor(rows * float(row_mm) / SEG_MM + 0.5)))
    w1 = max(1, int(np.floor(cols * float(col_mm) / SEG_MM + 0.5)))
    if not (SEG_MIN_PX <= h1 <= SEG_MAX_PX and SEG_MIN_PX <= w1 <= SEG_MAX_PX):
        raise ValueError(f"field of view {rows * row_mm:.0f} x {cols * col_mm:.0f} mm is outside "
                         f"{SEG_MIN_PX * SEG_MM:.0f}-{SEG_MAX_PX * SEG_MM:.0f} mm")
    return h1, w1


def padded_size(h1: int, w1: int) -> tuple[int, int]:
    return -(-h1 // SEG_PAD) * SEG_PAD, -(-w1 // SEG_PAD) * SEG_PAD


def resample_to_seg(grey: np.ndarray, row_mm: float, col_mm: float) -> torch.Tensor:
    """Grey H0 x W0 -> float32 H1 x W1 at SEG_MM pixels (bilinear, contract formula)."""
    h1, w1 = resampled_size(grey.shape[0], grey.shape[1], row_mm, col_mm)
    t = torch.from_numpy(np.ascontiguousarray(grey, dtype=np.float32))
    return resize_bilinear(t, h1, w1)


def pad_and_zscore(resampled: torch.Tensor) -> torch.Tensor:
    """H1 x W1 -> [1, Hp, Wp]: zero padding at the bottom and right, then z-score over it all."""
    h1, w1 = resampled.shape[-2:]
    hp, wp = padded_size(h1, w1)
    out = torch.zeros((hp, wp), dtype=torch.float32)
    out[:h1, :w1] = resampled
    return zscore(out).unsqueeze(0)


def segmentation_input_v2(grey: np.ndarray, row_mm: float, col_mm: float) -> tuple[torch.Tensor, tuple[int, int]]:
    """Grey H0 x W0 with its spacing -> (model input [1, Hp, Wp], (H1, W1)) per CONTRACT.md v2."""
    r = resample_to_seg(grey, row_mm, col_mm)
    return pad_and_zscore(r), tuple(r.shape)


def logits_to_labels(logits: torch.Tensor, h1: int, w1: int, rows: int, cols: int) -> np.ndarray:
    """Logits [C, Hp, Wp] -> semantic class ids H0 x W0: crop H1 x W1, bilinear resize, argmax."""
    crop = logits[:, :h1, :w1]
    return resize_bilinear(crop, rows, cols).argmax(0).numpy()
