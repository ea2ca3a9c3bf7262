#!/usr/bin/python3
"""LabelMe JSON annotations -> semantic masks of the spine_segmentation model.

LabelMe (https://github.com/wkentaro/labelme) is the annotation tool the source paper used. A
hospital can train on its own images by drawing polygons in it and running

  /usr/bin/python3 labelme.py IN_DIR OUT_DIR          # writes OUT_DIR/masks/<stem>.png
  /usr/bin/python3 train_segmentation.py --format labelme --data IN_DIR --out CKPT_DIR

Each JSON file holds ``shapes`` (``label``, ``points`` [[x, y], ...], ``shape_type``) and refers to
its image by ``imagePath`` (relative to the JSON file) or embeds it as base64 ``imageData``.
Shapes are filled in file order (a later shape overwrites an earlier one where they overlap), with
PIL's polygon fill in LabelMe's own pixel convention (labelme.utils.shape_to_mask).

Accepted labels (case-insensitive; spaces, '_' and '-' are interchangeable in the words):
  * class 1 disc:     ``disc``, ``ivd``, ``intervertebral disc``, or a level pair such as
                      ``L4-L5``, ``L4/L5``, ``L5-S1``, ``T12-L1`` (optionally prefixed ``disc ``)
  * class 2 vertebra: ``vertebra``, ``vertebrae``, ``vertebral body``, ``sacrum``, or a level name
                      ``T1``..``T12``, ``L1``..``L6``, ``S``, ``S1``..``S5`` (optionally prefixed
                      ``vertebra ``)
  * class 3 canal:    ``canal``, ``spinal canal``
  * ignored (stays background 0): ``background``, ``_background_``
Any other label, or a shape type other than ``polygon``, ``rectangle`` or ``circle``, is an error
(ValueError naming the file and the label): a silently dropped structure would teach the model
that it is background.
Masks are written with the SPIDER values (0, 29, 76, 150) so that spoils_data.read_semantic_mask
reads them back as the ids 0..3.
"""
from __future__ import annotations

import argparse
import base64
import glob
import io
import json
import os
import re
import sys
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

SEMANTIC_TO_SPIDER = {0: 0, 1: 29, 2: 76, 3: 150}

_LEVEL = r"(t(?:[1-9]|1[0-2])|l[1-6]|s[1-5]?)"
_DISC_PAIR = re.compile(rf"^(?:disc )?{_LEVEL} ?[/ ]? ?{_LEVEL}$")
_VERTEBRA_LEVEL = re.compile(rf"^(?:vertebra )?{_LEVEL}$")
_WORDS = {
    "disc": 1, "ivd": 1, "intervertebral disc": 1,
    "vertebra": 2, "vertebrae": 2, "vertebral body": 2, "sacrum": 2,
    "canal": 3, "spinal canal": 3,
    "background": 0,
}


@dataclass(frozen=True)
class LabelMeSample:
    name: str          # file stem
    grey: np.ndarray   # float32 H x W
    mask: np.ndarray   # int64 H x W, ids 0..3


def label_to_class(label: str) -> int:
    """Semantic id (0 background, 1 disc, 2 vertebra, 3 canal) of a LabelMe label; ValueError if unknown."""
    key = re.sub(r"[\s_\-]+", " ", label.strip().lower()).strip()
    if key in _WORDS:
        return _WORDS[key]
    if _DISC_PAIR.match(key.replace(" ", "")) or _DISC_PAIR.match(key):
        return 1
    if _VERTEBRA_LEVEL.match(key):
        return 2
    raise ValueError(f"unknown label {label!r} (accepted: disc, vertebra, canal, level names; see labelme.py)")


def _shape_mask(shape: dict, rows: int, cols: int) -> np.ndarray:
    kind = shape.get("shape_type") or "polygon"
    pts = [tuple(map(float, p)) for p in shape.get("points", [])]
    img = Image.new("L", (cols, rows), 0)
    draw = ImageDraw.Draw(img)
    if kind == "polygon":
        if len(pts) < 3:
            raise ValueError(f"polygon with {len(pts)} points")
        draw.polygon(pts, outline=1, fill=1)
    elif kind == "rectangle":
        if len(pts) != 2:
            raise ValueError("rectangle needs 2 points")
        (x0, y0), (x1, y1) = pts
        draw.rectangle([min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)], outline=1, fill=1)
    elif kind == "circle":
        if len(pts) != 2:
            raise ValueError("circle needs 2 points")
        (cx, cy), (px, py) = pts
        r = float(np.hypot(px - cx, py - cy))
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=1, fill=1)
    else:
        raise ValueError(f"unsupported shape_type {kind!r}")
    return np.asarray(img, dtype=bool)


def _grey_from_pil(img: Image.Image, what: str) -> np.ndarray:
    arr = np.asarray(img)
    if arr.ndim == 3:
        if arr.shape[2] == 4:
            arr = arr[..., :3]
        if not (np.all(arr[..., 0] == arr[..., 1]) and np.all(arr[..., 1] == arr[..., 2])):
            raise ValueError(f"{what}: colour image; grey MRI expected")
        arr = arr[..., 0]
    return arr.astype(np.float32)


def _load_image(doc: dict, json_path: str) -> np.ndarray:
    name = os.path.basename(json_path)
    if doc.get("imagePath"):
        path = os.path.join(os.path.dirname(json_path), doc["imagePath"])
        if os.path.exists(path):
            return _grey_from_pil(Image.open(path), name)
    if doc.get("imageData"):
        return _grey_from_pil(Image.open(io.BytesIO(base64.b64decode(doc["imageData"]))), name)
    raise ValueError(f"{name}: image not found (imagePath missing and no imageData)")


def json_to_mask(doc: dict, rows: int, cols: int, what: str = "annotation") -> np.ndarray:
    """Rasterise the shapes of a LabelMe document to an int64 rows x cols mask of ids 0..3."""
    mask = np.zeros((rows, cols), dtype=np.int64)
    for i, shape in enumerate(doc.get("shapes", [])):
        try:
            cls = label_to_class(str(shape.get("label", "")))
            if cls == 0:
                continue
            mask[_shape_mask(shape, rows, cols)] = cls
        except ValueError as e:
            raise ValueError(f"{what}, shape {i}: {e}") from None
    return mask


def load_file(json_path: str) -> LabelMeSample:
    name = os.path.basename(json_path)
    with open(json_path, encoding="utf-8") as f:
        try:
            doc = json.load(f)
        except json.JSONDecodeError as e:
            raise ValueError(f"{name}: not JSON ({e.msg})") from None
    if not isinstance(doc, dict) or "shapes" not in doc:
        raise ValueError(f"{name}: not a LabelMe file (no 'shapes')")
    grey = _load_image(doc, json_path)
    rows, cols = grey.shape
    h, w = doc.get("imageHeight"), doc.get("imageWidth")
    if (h is not None and h != rows) or (w is not None and w != cols):
        raise ValueError(f"{name}: imageHeight/imageWidth {h}x{w} differ from the image {rows}x{cols}")
    stem = os.path.splitext(name)[0]
    return LabelMeSample(stem, grey, json_to_mask(doc, rows, cols, name))


def load_folder(folder: str) -> list[LabelMeSample]:
    """All *.json files of a folder, sorted by name; ValueError if there are none."""
    files = sorted(glob.glob(os.path.join(folder, "*.json")))
    if not files:
        raise ValueError(f"no LabelMe .json files in {folder}")
    return [load_file(p) for p in files]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="LabelMe JSON folder -> SPIDER-valued mask PNGs")
    ap.add_argument("input", help="folder of LabelMe .json files (with their images)")
    ap.add_argument("output", help="output folder; masks go to OUTPUT/masks/<stem>.png")
    args = ap.parse_args(argv)
    try:
        samples = load_folder(args.input)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    os.makedirs(os.path.join(args.output, "masks"), exist_ok=True)
    lut = np.array([SEMANTIC_TO_SPIDER[i] for i in range(4)], dtype=np.uint8)
    for s in samples:
        Image.fromarray(lut[s.mask]).save(os.path.join(args.output, "masks", s.name + ".png"))
    counts = np.bincount(np.concatenate([s.mask.ravel() for s in samples]), minlength=4)
    print(f"{len(samples)} masks written; pixels per class (bg, disc, vertebra, canal): {counts.tolist()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
