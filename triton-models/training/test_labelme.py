"""Unit tests for labelme.py on synthetic LabelMe JSON (run: /usr/bin/python3 -m unittest test_labelme)."""
import base64
import io
import json
import os
import sys
import tempfile
import unittest

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import labelme  # noqa: E402 (no torch needed: runs under any python3 with numpy and Pillow)


def _doc(shapes, rows=40, cols=30, image_path="img.png", image_data=None):
    return {"version": "5.2.1", "flags": {}, "shapes": shapes, "imagePath": image_path,
            "imageData": image_data, "imageHeight": rows, "imageWidth": cols}


def _poly(label, pts, kind="polygon"):
    return {"label": label, "points": pts, "group_id": None, "shape_type": kind, "flags": {}}


class LabelToClassTest(unittest.TestCase):
    def test_labelToClass_acceptedNames(self):
        cases = {"disc": 1, "L4-L5": 1, "l5/s1": 1, "T12-L1": 1, "disc_L3-L4": 1, "IVD": 1,
                 "vertebra": 2, "L3": 2, "S1": 2, "sacrum": 2, "T12": 2, "Vertebral Body": 2,
                 "canal": 3, "spinal_canal": 3, "_background_": 0}
        for label, cls in cases.items():
            with self.subTest(label=label):
                self.assertEqual(labelme.label_to_class(label), cls)

    def test_labelToClass_unknownRejected(self):
        for label in ["kidney", "L7", "", "L4-L5-S1"]:
            with self.subTest(label=label), self.assertRaises(ValueError):
                labelme.label_to_class(label)


class LoadFileTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        grey = (np.arange(40 * 30) % 251).reshape(40, 30).astype(np.uint8)
        Image.fromarray(grey).save(os.path.join(self.dir, "img.png"))
        self.grey = grey

    def tearDown(self):
        self.tmp.cleanup()

    def _write(self, doc, name="a.json"):
        path = os.path.join(self.dir, name)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f)
        return path

    def test_loadFile_polygonsFilledWithSemanticIds(self):
        shapes = [_poly("L3", [[2, 2], [20, 2], [20, 10], [2, 10]]),
                  _poly("L3-L4", [[2, 12], [20, 12], [20, 16], [2, 16]]),
                  _poly("canal", [[22, 0], [27, 0], [27, 39], [22, 39]]),
                  _poly("sacrum", [[5, 30], [15, 30], [10, 38]])]
        s = labelme.load_file(self._write(_doc(shapes)))
        np.testing.assert_array_equal(s.grey, self.grey.astype(np.float32))
        self.assertEqual(s.mask.shape, (40, 30))
        self.assertEqual(s.mask[5, 10], 2)
        self.assertEqual(s.mask[14, 10], 1)
        self.assertEqual(s.mask[20, 24], 3)
        self.assertEqual(s.mask[32, 10], 2)
        self.assertEqual(s.mask[11, 10], 0)   # gap between the vertebra and the disc
        self.assertEqual(s.mask[25, 5], 0)
        # PIL fill includes both boundary rows: rows 2..10 and columns 2..20 inclusive
        self.assertEqual(int((s.mask[:11, :21] == 2).sum()), 9 * 19)

    def test_loadFile_laterShapeOverwrites(self):
        shapes = [_poly("vertebra", [[0, 0], [29, 0], [29, 39], [0, 39]]),
                  _poly("disc", [[10, 10], [19, 19]], "rectangle")]
        s = labelme.load_file(self._write(_doc(shapes)))
        self.assertEqual(int((s.mask == 1).sum()), 100)
        self.assertEqual(int((s.mask == 2).sum()), 40 * 30 - 100)

    def test_loadFile_embeddedImageData(self):
        buf = io.BytesIO()
        Image.fromarray(self.grey).save(buf, format="PNG")
        doc = _doc([_poly("disc", [[1, 1], [5, 1], [5, 5]])], image_path="missing.png",
                   image_data=base64.b64encode(buf.getvalue()).decode("ascii"))
        s = labelme.load_file(self._write(doc))
        self.assertEqual(s.grey.shape, (40, 30))
        self.assertGreater(int((s.mask == 1).sum()), 0)

    def test_loadFile_unknownLabelNamesFileAndShape(self):
        path = self._write(_doc([_poly("disc", [[1, 1], [5, 1], [5, 5]]), _poly("liver", [[1, 1], [5, 1], [5, 5]])]))
        with self.assertRaisesRegex(ValueError, r"a\.json, shape 1: unknown label 'liver'"):
            labelme.load_file(path)

    def test_loadFile_sizeMismatchRejected(self):
        with self.assertRaisesRegex(ValueError, "differ"):
            labelme.load_file(self._write(_doc([], rows=41)))

    def test_loadFile_unsupportedShapeRejected(self):
        with self.assertRaisesRegex(ValueError, "unsupported shape_type 'line'"):
            labelme.load_file(self._write(_doc([_poly("canal", [[1, 1], [5, 5]], "line")])))

    def test_main_writesSpiderValuedMasks(self):
        self._write(_doc([_poly("L4-L5", [[2, 2], [20, 2], [20, 10], [2, 10]]),
                          _poly("canal", [[22, 0], [27, 0], [27, 39]])]))
        out = os.path.join(self.dir, "out")
        self.assertEqual(labelme.main([self.dir, out]), 0)
        mask = np.asarray(Image.open(os.path.join(out, "masks", "a.png")))
        self.assertEqual(set(np.unique(mask).tolist()), {0, 29, 150})
        self.assertEqual(int((mask == 29).sum()), 9 * 19)

    def test_main_emptyFolderIsAnError(self):
        empty = os.path.join(self.dir, "empty")
        os.makedirs(empty)
        self.assertEqual(labelme.main([empty, os.path.join(self.dir, "o")]), 2)


if __name__ == "__main__":
    unittest.main()
