"""Is a predicted label map plausible lumbar anatomy? (pseudo-label filter and evaluation aid)

A label map (classes 0 background, 1 disc, 2 vertebra, 3 canal, 4 lumbosacral disc; head at the
top, anterior to the left as in the SPIDER renders) is plausible when:
  * discs (classes 1 and 4, 8-connected pieces of at least 20 mm^2, pieces less than 10 mm apart
    along the rows merged) number at least five;
  * exactly one of them is mostly lumbosacral (class 4), and it is the lowest;
  * the five lowest discs are regularly spaced: each centroid distance within 0.6-1.6 x their median;
  * between each pair of those discs lies a vertebral body (class 2 is the most frequent foreground
    class within 4 mm of the midpoint of the two centroids);
  * the canal (class 3, at least 300 mm^2) lies behind the discs (posterior = right);
  * where the number of graded discs is known, the disc count equals it.
This is a Python check for training data only; the gateway's level naming is the feature engine's
global fit (bin/spoils label-levels).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import ndimage

MIN_DISC_MM2 = 20.0
MERGE_MM = 10.0


@dataclass
class Disc:
    row: float
    col: float
    area_mm2: float
    lumbosacral_fraction: float


@dataclass
class Verdict:
    ok: bool
    reasons: list[str] = field(default_factory=list)
    discs: list[Disc] = field(default_factory=list)


def discs(labels: np.ndarray, row_mm: float, col_mm: float) -> list[Disc]:
    """Disc groups ordered from the top of the image down."""
    is_disc = (labels == 1) | (labels == 4)
    lab, n = ndimage.label(is_disc, structure=np.ones((3, 3), dtype=int))
    pieces = []
    for i, sl in enumerate(ndimage.find_objects(lab)):
        m = lab[sl] == i + 1
        area = m.sum() * row_mm * col_mm
        if area < MIN_DISC_MM2:
            continue
        rr, cc = np.nonzero(m)
        rr, cc = rr + sl[0].start, cc + sl[1].start
        ls = float((labels[rr, cc] == 4).sum())
        pieces.append([rr.mean(), cc.mean(), float(m.sum()), ls])
    pieces.sort(key=lambda p: p[0])
    groups: list[list[float]] = []
    for p in pieces:
        if groups and (p[0] - groups[-1][0]) * row_mm < MERGE_MM:
            g = groups[-1]
            tot = g[2] + p[2]
            groups[-1] = [(g[0] * g[2] + p[0] * p[2]) / tot, (g[1] * g[2] + p[1] * p[2]) / tot, tot, g[3] + p[3]]
        else:
            groups.append(list(p))
    return [Disc(g[0], g[1], g[2] * row_mm * col_mm, g[3] / g[2]) for g in groups]


def check(labels: np.ndarray, row_mm: float, col_mm: float, expected_discs: int | None = None) -> Verdict:
    ds = discs(labels, row_mm, col_mm)
    v = Verdict(True, [], ds)

    def fail(reason: str) -> None:
        v.ok = False
        v.reasons.append(reason)

    if len(ds) < 5:
        fail(f"{len(ds)} discs")
        return v
    ls = [i for i, d in enumerate(ds) if d.lumbosacral_fraction > 0.5]
    if len(ls) != 1:
        fail(f"{len(ls)} lumbosacral discs")
    elif ls[0] != len(ds) - 1:
        fail("lumbosacral disc is not the lowest")
    low = ds[-5:]
    pts = np.array([[d.row * row_mm, d.col * col_mm] for d in low])
    gaps = np.linalg.norm(np.diff(pts, axis=0), axis=1)
    med = float(np.median(gaps))
    if np.any(gaps < 0.6 * med) or np.any(gaps > 1.6 * med):
        fail("irregular disc spacing")
    rad_r, rad_c = max(1, int(round(4.0 / row_mm))), max(1, int(round(4.0 / col_mm)))
    for a, b in zip(low[:-1], low[1:]):
        r, c = int(round((a.row + b.row) / 2)), int(round((a.col + b.col) / 2))
        win = labels[max(0, r - rad_r):r + rad_r + 1, max(0, c - rad_c):c + rad_c + 1]
        counts = np.bincount(win.ravel().astype(np.int64), minlength=5)[1:5]
        if counts.sum() == 0 or int(np.argmax(counts)) != 1:
            fail("no vertebral body between two discs")
            break
    canal = labels == 3
    if canal.sum() * row_mm * col_mm < 300:
        fail("no canal")
    else:
        disc_col = np.mean([d.col for d in low])
        if np.nonzero(canal)[1].mean() <= disc_col:
            fail("canal not behind the discs")
    if expected_discs is not None and len(ds) != expected_discs:
        fail(f"{len(ds)} discs, {expected_discs} graded")
    return v
