"""Disc crops for the disc_grading model: the numpy reference of CONTRACT.md's crop math.

The Java gateway must reproduce `disc_crop` exactly (parity within 1e-5). The augmented sampler used
in training (`augmented_crop`) shares the same bilinear sampler and reduces to `disc_crop` when the
rotation is 0, the scale 1 and the shift 0.
"""
from __future__ import annotations

import numpy as np

CROP_SIZE = 128          # crop pixels per side
CROP_MM = 64.0           # crop side in mm
CROP_STEP_MM = CROP_MM / CROP_SIZE  # 0.5 mm per crop pixel


def sample_bilinear(grey: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Bilinear samples of a 2-D image at float64 coordinates (x = column, y = row).

    x0 = floor(x), x1 = x0 + 1, weight x - x0; indices outside the image are clamped to the border
    pixel. Returns float64 values with the shape of xs.
    """
    if grey.ndim != 2 or grey.shape[0] < 1 or grey.shape[1] < 1:
        raise ValueError("grey image must be a non-empty 2-D array")
    img = np.asarray(grey, dtype=np.float64)
    h, w = img.shape
    xs = np.asarray(xs, dtype=np.float64)
    ys = np.asarray(ys, dtype=np.float64)
    x0f = np.floor(xs)
    y0f = np.floor(ys)
    wx = xs - x0f
    wy = ys - y0f
    x0 = np.clip(x0f, 0, w - 1).astype(np.int64)
    x1 = np.clip(x0f + 1, 0, w - 1).astype(np.int64)
    y0 = np.clip(y0f, 0, h - 1).astype(np.int64)
    y1 = np.clip(y0f + 1, 0, h - 1).astype(np.int64)
    top = img[y0, x0] * (1.0 - wx) + img[y0, x1] * wx
    bottom = img[y1, x0] * (1.0 - wx) + img[y1, x1] * wx
    return top * (1.0 - wy) + bottom * wy


def zscore64(values: np.ndarray) -> np.ndarray:
    """z = (v - mean) / max(std, 1e-6), mean and population std in float64, result float32."""
    v = np.asarray(values, dtype=np.float64)
    mean = v.mean()
    std = max(float(v.std()), 1e-6)
    return ((v - mean) / std).astype(np.float32)


def crop_offsets_mm() -> np.ndarray:
    """Offsets of the crop pixel centres from the crop centre, in mm: ((k + 0.5) - 64) * 0.5."""
    k = np.arange(CROP_SIZE, dtype=np.float64)
    return ((k + 0.5) - CROP_SIZE / 2) * CROP_STEP_MM


def crop_coordinates(cx: float, cy: float, row_mm: float, col_mm: float):
    """Image coordinates (xs, ys), each float64 [128, 128], sampled by crop pixel (i, j)."""
    _check_spacing(row_mm, col_mm)
    k = np.arange(CROP_SIZE, dtype=np.float64)
    # written exactly as CONTRACT.md so the Java side can mirror the operation order
    x_line = cx + ((k + 0.5) - 64) * 0.5 / col_mm
    y_line = cy + ((k + 0.5) - 64) * 0.5 / row_mm
    xs = np.broadcast_to(x_line[None, :], (CROP_SIZE, CROP_SIZE))
    ys = np.broadcast_to(y_line[:, None], (CROP_SIZE, CROP_SIZE))
    return xs, ys


def disc_crop(grey: np.ndarray, cx: float, cy: float, row_mm: float, col_mm: float) -> np.ndarray:
    """The model input for one disc: float32 [128, 128], z-scored (CONTRACT.md, disc_grading).

    grey: H x W grey image; (cx, cy): disc centroid (mean column, mean row index);
    row_mm / col_mm: pixel spacing in mm.
    """
    if not (np.isfinite(cx) and np.isfinite(cy)):
        raise ValueError("disc centroid must be finite")
    xs, ys = crop_coordinates(cx, cy, row_mm, col_mm)
    return zscore64(sample_bilinear(grey, xs, ys))


def augmented_crop(grey: np.ndarray, cx: float, cy: float, row_mm: float, col_mm: float,
                   angle_deg: float = 0.0, scale: float = 1.0, shift_mm=(0.0, 0.0),
                   gamma: float = 1.0, noise_sd: float = 0.0, rng: np.random.Generator | None = None
                   ) -> np.ndarray:
    """A training crop: the contract crop under a rotation (degrees, about the centroid), a scale
    (>1 covers a larger field), a shift of the centre (mm, x then y), a gamma on the 0..1-scaled
    intensities and additive Gaussian noise (in z units). Returns float32 [128, 128], z-scored.
    """
    _check_spacing(row_mm, col_mm)
    u = crop_offsets_mm() * scale
    uu, vv = np.meshgrid(u, u)  # uu varies along columns (x), vv along rows (y)
    a = np.deg2rad(angle_deg)
    ca, sa = np.cos(a), np.sin(a)
    dx_mm = ca * uu - sa * vv + shift_mm[0]
    dy_mm = sa * uu + ca * vv + shift_mm[1]
    vals = sample_bilinear(grey, cx + dx_mm / col_mm, cy + dy_mm / row_mm)
    if gamma != 1.0:
        lo, hi = float(grey.min()), float(grey.max())
        span = max(hi - lo, 1e-6)
        vals = np.clip((vals - lo) / span, 0.0, 1.0) ** gamma
    out = zscore64(vals)
    if noise_sd > 0.0:
        if rng is None:
            raise ValueError("noise needs an rng")
        out = (out + rng.normal(0.0, noise_sd, out.shape)).astype(np.float32)
    return out


def _check_spacing(row_mm: float, col_mm: float) -> None:
    if not (np.isfinite(row_mm) and np.isfinite(col_mm)) or row_mm <= 0 or col_mm <= 0:
        raise ValueError("pixel spacing must be positive and finite")
