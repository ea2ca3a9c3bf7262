"""Training-time data for the spine_segmentation model at the physical scale of CONTRACT.md v2.

Images are held resampled to SEG_MM (0.8 mm) pixels. A training sample is a fixed-size crop of
such an image drawn through a random geometric transform (scale +-25 %, rotation +-15 degrees,
left-right flip, elastic deformation, a crop centre anywhere along the spine, so the field of view
is cut anywhere from the sacrum to the thoracic spine) and a random intensity transform spanning
what scanners and sequences do (contrast window, gamma, bias field, blur, noise, and a random
non-monotonic intensity curve that turns T2 contrast into T1-like contrast). Outside the source
image the crop is 0 (black), as the zero padding of the contract; the z-score is taken over the
whole crop, as at inference.
"""
from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F

import spoils_data as sd

IGNORE = 255
LUMBOSACRAL = 4


def semantic_with_lumbosacral(mask: np.ndarray, row_mm: float, col_mm: float) -> np.ndarray:
    """SPIDER semantic mask (0..3) -> 5 classes: the lowest disc becomes class 4 (lumbosacral).

    The lowest disc is the 8-connected disc component (at least 20 mm^2) with the largest centroid
    row, together with every other disc component whose centroid lies within 12 mm of it along the
    rows (fragments of the same disc). SPIDER masks do not label the sacrum; their lowest disc is
    the disc above it (L5-S1 in typical anatomy).
    """
    from scipy import ndimage

    out = mask.copy()
    lab, n = ndimage.label(mask == 1, structure=np.ones((3, 3), dtype=int))
    if n == 0:
        return out
    idx = np.arange(1, n + 1)
    areas = ndimage.sum(np.ones_like(lab), lab, idx) * row_mm * col_mm
    rows = np.array(ndimage.center_of_mass(np.ones_like(lab), lab, idx))[:, 0]
    keep = areas >= 20.0
    if not keep.any():
        return out
    lowest = rows[keep].max()
    for i, (k, r) in enumerate(zip(keep, rows)):
        if k and (lowest - r) * row_mm < 12.0:
            out[lab == i + 1] = LUMBOSACRAL
    return out


def resize_labels_smooth(labels: np.ndarray, rows: int, cols: int, num_classes: int) -> torch.Tensor:
    """Labels resized as the contract resizes the image: each class's indicator bilinearly
    (align_corners=False), then the argmax. Unlike torch's "nearest" (which samples floor(i * scale),
    half a source pixel off the bilinear image grid, and makes staircases) the labels stay aligned
    with the resampled image; the reference masks taken to 0.8 mm and back this way keep disc
    Dice 0.996, nearest-neighbour labels even sampled at the pixel centres 0.965
    (label_grid_ceiling.py)."""
    onehot = F.one_hot(torch.from_numpy(labels.astype(np.int64)), num_classes).permute(2, 0, 1).float()
    return sd.resize_bilinear(onehot, rows, cols).argmax(0).to(torch.uint8)


def _sample_labels(lab: torch.Tensor, grid: torch.Tensor) -> torch.Tensor:
    """Labels at the sample grid: class indicators bilinearly then the argmax (outside: background);
    labels with ignored pixels (pseudo-labels, 255) by nearest neighbour."""
    if bool((lab == IGNORE).any()):
        return F.grid_sample(lab[None, None].float(), grid, mode="nearest", padding_mode="zeros",
                             align_corners=False)[0, 0].long()
    onehot = F.one_hot(lab.long(), int(lab.max()) + 1).permute(2, 0, 1).float()[None]
    return F.grid_sample(onehot, grid, mode="bilinear", padding_mode="zeros", align_corners=False)[0].argmax(0)


def _smooth_field(gen: torch.Generator, shape, grid: int, sigma: float) -> torch.Tensor:
    coarse = torch.randn((1, 1, grid, grid), generator=gen) * sigma
    return F.interpolate(coarse, size=shape, mode="bicubic", align_corners=False)[0, 0]


def _gaussian_blur(x: torch.Tensor, sigma: float) -> torch.Tensor:
    r = max(1, int(math.ceil(2.5 * sigma)))
    k = torch.exp(-0.5 * (torch.arange(-r, r + 1, dtype=torch.float32) / sigma) ** 2)
    k = k / k.sum()
    x = F.conv2d(x[None, None], k.view(1, 1, 1, -1), padding=(0, r))
    x = F.conv2d(x, k.view(1, 1, -1, 1), padding=(r, 0))
    return x[0, 0]


def random_curve(gen: torch.Generator) -> torch.Tensor:
    """A random smooth intensity curve on [0, 1] (cubic, min-max normalised), often non-monotonic."""
    a = torch.rand(3, generator=gen) * 4 - 2
    xs = torch.linspace(0, 1, 256)
    f = a[0] * xs + a[1] * xs ** 2 + a[2] * xs ** 3
    rng = float(f.max() - f.min())
    if rng < 0.2:
        return xs
    return (f - f.min()) / rng


def sample(img: torch.Tensor, lab: torch.Tensor, rows: int, cols: int, gen: torch.Generator,
           strong: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
    """One augmented crop: img H x W float32 (any range), lab H x W uint8 -> ([1,R,C] z-scored, [R,C] int64)."""
    h, w = img.shape
    u = lambda lo, hi: lo + (hi - lo) * float(torch.rand(1, generator=gen))  # noqa: E731
    zoom = math.exp(u(math.log(0.8), math.log(1.25)))
    ang = math.radians(u(-15, 15))
    flip = -1.0 if float(torch.rand(1, generator=gen)) < 0.5 else 1.0
    cy, cx = u(0.15, 0.85) * h, u(0.3, 0.7) * w
    ys = torch.arange(rows, dtype=torch.float32)[:, None] - rows / 2 + 0.5
    xs = torch.arange(cols, dtype=torch.float32)[None, :] - cols / 2 + 0.5
    ys, xs = ys.expand(rows, cols), xs.expand(rows, cols) * flip
    sx = cx + (math.cos(ang) * xs - math.sin(ang) * ys) / zoom
    sy = cy + (math.sin(ang) * xs + math.cos(ang) * ys) / zoom
    if strong and float(torch.rand(1, generator=gen)) < 0.5:
        amp = u(1.0, 4.0)
        sx = sx + _smooth_field(gen, (rows, cols), 5, amp)
        sy = sy + _smooth_field(gen, (rows, cols), 5, amp)
    grid = torch.stack([(sx + 0.5) / w * 2 - 1, (sy + 0.5) / h * 2 - 1], -1)[None]
    x = F.grid_sample(img[None, None], grid, mode="bilinear", padding_mode="zeros", align_corners=False)[0, 0]
    valid = F.grid_sample(torch.ones((1, 1, h, w)), grid, mode="nearest", padding_mode="zeros",
                          align_corners=False)[0, 0] > 0.5
    y = _sample_labels(lab, grid)
    # Intensity, on [0, 1] relative to a high percentile of the crop.
    top = torch.quantile(x[valid], 0.995) if valid.any() else torch.tensor(1.0)
    x = (x / max(float(top), 1e-6)).clamp(0, 1)
    if strong:
        if float(torch.rand(1, generator=gen)) < 0.35:
            curve = random_curve(gen)
            x = curve[(x * 255).round().long().clamp(0, 255)]
        lo, hi = u(0.0, 0.1), u(0.6, 1.0)
        x = ((x - lo) / (hi - lo)).clamp(0, 1)
        x = x ** math.exp(u(math.log(0.6), math.log(1.6)))
        x = x * torch.exp(_smooth_field(gen, (rows, cols), 4, u(0.0, 0.3)))
        if float(torch.rand(1, generator=gen)) < 0.3:
            x = _gaussian_blur(x, u(0.5, 1.5))
        x = x + torch.randn(x.shape, generator=gen) * u(0.0, 0.05)
    x = torch.where(valid, x, torch.zeros_like(x))
    y = torch.where(valid, y, torch.zeros_like(y))
    return sd.zscore(x).unsqueeze(0), y
