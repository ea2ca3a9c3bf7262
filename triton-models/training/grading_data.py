"""Disc-grading labels and disc locations from the SPIDER development subset.

- Class of a graded disc: Pfirrmann grade (gradings.csv) x severity derived by the fixed rule
  score = narrowing + upper_endplate + lower_endplate + (modic > 0) + herniation + spondylolisthesis,
  L if score <= 1, M if 2-3, H if >= 4; Pfirrmann 1 and 2 are always L.
- Disc identity: discs are the 8-connected components of mask value 29 on the patient's centre slice,
  ordered bottom-up by centroid row; the lowest is ivd_label 1 (0 when the patient has a graded
  label 0, transitional anatomy), the next 2, ... Components on neighbouring slices take the label of
  the nearest centre-slice disc (within MATCH_MM), so a disc missing on a lateral slice cannot shift
  the numbering.
"""
from __future__ import annotations

import os
from collections import deque
from dataclasses import dataclass

import numpy as np
from PIL import Image

import spoils_data as sd

DISC_VALUE = 29
MIN_AREA_MM2 = 20.0
MATCH_MM = 8.0


@dataclass(frozen=True)
class DiscSample:
    """One disc on one slice: where it is and what it is graded."""
    patient: int
    slice: int
    offset: int          # slice index minus the centre slice index
    ivd_label: int
    cls: int             # index into spoils_data.DISC_CLASSES
    cx: float            # centroid column (pixels)
    cy: float            # centroid row (pixels)


def severity(row: dict) -> str:
    """L/M/H from the grading columns (rule in the module docstring)."""
    score = (int(row["narrowing"]) + int(row["upper_endplate"]) + int(row["lower_endplate"])
             + (1 if int(row["modic"]) > 0 else 0) + int(row["herniation"])
             + int(row["spondylolisthesis"]))
    if int(row["pfirrmann"]) <= 2 or score <= 1:
        return "L"
    return "M" if score <= 3 else "H"


def disc_class(row: dict) -> int:
    """Class index (0..10) in DISC_CLASSES order."""
    grade = int(row["pfirrmann"])
    if not 1 <= grade <= 5:
        raise ValueError(f"Pfirrmann grade {grade} outside 1..5")
    return sd.DISC_CLASSES.index(f"{grade}{severity(row)}")


def gradings(data_dir: str) -> dict[int, dict[int, int]]:
    """patient -> {ivd_label: class index}."""
    out: dict[int, dict[int, int]] = {}
    for row in sd.read_csv(data_dir, "gradings.csv"):
        out.setdefault(int(row["patient"]), {})[int(row["ivd_label"])] = disc_class(row)
    return out


def components(mask: np.ndarray, value: int = DISC_VALUE) -> list[tuple[float, float, int]]:
    """8-connected components of mask == value: (cx, cy, pixel count), unordered."""
    fg = mask == value
    seen = np.zeros_like(fg)
    h, w = fg.shape
    out = []
    for r0, c0 in zip(*np.nonzero(fg)):
        if seen[r0, c0]:
            continue
        seen[r0, c0] = True
        queue = deque([(r0, c0)])
        rows, cols = [], []
        while queue:
            r, c = queue.popleft()
            rows.append(r)
            cols.append(c)
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    rr, cc = r + dr, c + dc
                    if 0 <= rr < h and 0 <= cc < w and fg[rr, cc] and not seen[rr, cc]:
                        seen[rr, cc] = True
                        queue.append((rr, cc))
        out.append((float(np.mean(cols)), float(np.mean(rows)), len(rows)))
    return out


def discs_bottom_up(mask: np.ndarray, row_mm: float, col_mm: float) -> list[tuple[float, float]]:
    """Disc centroids (cx, cy) without specks below MIN_AREA_MM2, lowest (largest row) first."""
    keep = [(cx, cy) for cx, cy, n in components(mask) if n * row_mm * col_mm >= MIN_AREA_MM2]
    return sorted(keep, key=lambda p: -p[1])


def read_mask(data_dir: str, ref: sd.SliceRef) -> np.ndarray:
    raw = np.asarray(Image.open(os.path.join(data_dir, "masks", ref.file_name())))
    return raw[..., 0] if raw.ndim == 3 else raw


def label_centre(centroids: list[tuple[float, float]], has_label0: bool) -> dict[int, tuple[float, float]]:
    """ivd_label -> centroid for the bottom-up centroids of a centre slice."""
    first = 0 if has_label0 else 1
    return {first + k: p for k, p in enumerate(centroids)}


def match_to_centre(centroids, centre: dict[int, tuple[float, float]], row_mm: float, col_mm: float
                    ) -> dict[int, tuple[float, float]]:
    """Label each component by its nearest centre-slice disc within MATCH_MM (closest one wins)."""
    best: dict[int, tuple[float, tuple[float, float]]] = {}
    for cx, cy in centroids:
        dists = {lab: np.hypot((cx - px) * col_mm, (cy - py) * row_mm) for lab, (px, py) in centre.items()}
        if not dists:
            continue
        lab = min(dists, key=dists.get)
        if dists[lab] <= MATCH_MM and (lab not in best or dists[lab] < best[lab][0]):
            best[lab] = (dists[lab], (cx, cy))
    return {lab: p for lab, (_, p) in best.items()}


def disc_samples(data_dir: str, patients: list[int], max_offset: int = 2) -> list[DiscSample]:
    """Graded discs of the patients on the centre slice and slices within +-max_offset."""
    grades = gradings(data_dir)
    spacing = sd.spacing(data_dir)
    by_patient: dict[int, list[sd.SliceRef]] = {}
    for ref in sd.slices(data_dir):
        by_patient.setdefault(ref.patient, []).append(ref)
    out: list[DiscSample] = []
    for p in patients:
        refs = by_patient[p]
        centre = next(r for r in refs if r.is_center)
        row_mm, col_mm = spacing[p]
        g = grades.get(p, {})
        centre_discs = label_centre(discs_bottom_up(read_mask(data_dir, centre), row_mm, col_mm), 0 in g)
        for ref in sorted(refs, key=lambda r: r.slice):
            off = ref.slice - centre.slice
            if abs(off) > max_offset:
                continue
            if off == 0:
                found = centre_discs
            else:
                cents = discs_bottom_up(read_mask(data_dir, ref), row_mm, col_mm)
                found = match_to_centre(cents, centre_discs, row_mm, col_mm)
            for lab, (cx, cy) in sorted(found.items()):
                if lab in g:
                    out.append(DiscSample(p, ref.slice, off, lab, g[lab], cx, cy))
    return out


def load_greys(data_dir: str, samples: list[DiscSample]) -> dict[tuple[int, int], np.ndarray]:
    """(patient, slice) -> grey float32 image for every slice the samples use."""
    keys = sorted({(s.patient, s.slice) for s in samples})
    return {k: sd.read_grey(os.path.join(data_dir, "images", f"{k[0]:03d}_slice{k[1]}.png"))
            for k in keys}
