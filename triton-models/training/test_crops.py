"""Tests of the disc crop reference (CONTRACT.md): /usr/bin/python3 -m unittest test_crops"""
import unittest

import numpy as np

import crops


def ramp(h: int, w: int, a: float = 2.0, b: float = 3.0) -> np.ndarray:
    """v(row, col) = a * col + b * row: bilinear interpolation reproduces it exactly."""
    rows, cols = np.mgrid[0:h, 0:w]
    return (a * cols + b * rows).astype(np.float32)


class SampleBilinearTest(unittest.TestCase):
    def test_sampleBilinear_linearImageExact(self):
        img = ramp(20, 30)
        xs = np.array([0.0, 3.25, 17.5, 28.9])
        ys = np.array([0.0, 7.75, 2.5, 18.1])
        np.testing.assert_allclose(crops.sample_bilinear(img, xs, ys), 2 * xs + 3 * ys, rtol=0, atol=1e-9)

    def test_sampleBilinear_knownWeights(self):
        img = np.array([[0.0, 10.0], [100.0, 1000.0]], dtype=np.float32)
        # x = 0.25, y = 0.5: top 2.5, bottom 325 -> 163.75
        self.assertAlmostEqual(float(crops.sample_bilinear(img, np.array(0.25), np.array(0.5))), 163.75)

    def test_sampleBilinear_borderClamp(self):
        img = ramp(5, 6)
        xs = np.array([-3.0, -0.5, 5.0, 9.7, 2.0])
        ys = np.array([1.0, 2.0, -7.2, 4.6, 11.0])
        want = np.array([img[1, 0], img[2, 0], img[0, 5], img[4, 5], img[4, 2]])
        np.testing.assert_allclose(crops.sample_bilinear(img, xs, ys), want, atol=1e-12)

    def test_sampleBilinear_rejectsNon2d(self):
        with self.assertRaises(ValueError):
            crops.sample_bilinear(np.zeros((2, 2, 2)), np.zeros(1), np.zeros(1))


class DiscCropTest(unittest.TestCase):
    def test_discCrop_shapeDtypeAndZscore(self):
        rng = np.random.default_rng(1)
        img = rng.uniform(0, 255, (200, 180)).astype(np.float32)
        c = crops.disc_crop(img, 90.3, 101.7, 0.46875, 0.46875)
        self.assertEqual(c.shape, (128, 128))
        self.assertEqual(c.dtype, np.float32)
        self.assertAlmostEqual(float(c.astype(np.float64).mean()), 0.0, places=5)
        self.assertAlmostEqual(float(c.astype(np.float64).std()), 1.0, places=5)

    def test_discCrop_halfMmSpacingHitsPixelCentres(self):
        # spacing 0.5 mm: crop pixel (i, j) samples x = cx + j + 0.5 - 64 -> integer with cx = k + 0.5
        rng = np.random.default_rng(2)
        img = rng.uniform(0, 255, (300, 300)).astype(np.float32)
        cx, cy = 150.5, 140.5
        c = crops.disc_crop(img, cx, cy, 0.5, 0.5)
        region = img[140 - 63:140 + 65, 150 - 63:150 + 65].astype(np.float64)
        want = (region - region.mean()) / region.std()
        np.testing.assert_allclose(c, want, atol=1e-5)

    def test_discCrop_anisotropicSpacing(self):
        img = ramp(400, 400, a=1.0, b=1000.0)
        xs, ys = crops.crop_coordinates(200.0, 180.0, 1.0, 0.25)
        # 0.5 mm per crop pixel: 2 image columns per crop column, half an image row per crop row
        np.testing.assert_allclose(np.diff(xs[0]), 2.0)
        np.testing.assert_allclose(np.diff(ys[:, 0]), 0.5)
        self.assertAlmostEqual(xs[0, 0], 200.0 + (0.5 - 64) * 0.5 / 0.25)
        self.assertAlmostEqual(ys[127, 0], 180.0 + (127.5 - 64) * 0.5 / 1.0)
        raw = crops.sample_bilinear(img, xs, ys)
        np.testing.assert_allclose(raw, xs + 1000.0 * ys, atol=1e-6)
        want = (raw - raw.mean()) / raw.std()
        np.testing.assert_allclose(crops.disc_crop(img, 200.0, 180.0, 1.0, 0.25), want, atol=1e-5)

    def test_discCrop_cornerEqualsEdgePaddedImage(self):
        rng = np.random.default_rng(3)
        img = rng.uniform(0, 255, (60, 50)).astype(np.float32)
        pad = 100
        padded = np.pad(img, pad, mode="edge")
        a = crops.disc_crop(img, 3.2, 55.6, 0.46875, 0.6)
        b = crops.disc_crop(padded, 3.2 + pad, 55.6 + pad, 0.46875, 0.6)
        np.testing.assert_allclose(a, b, atol=1e-6)

    def test_discCrop_constantImageGivesZeros(self):
        c = crops.disc_crop(np.full((50, 50), 7.0, dtype=np.float32), 25, 25, 0.5, 0.5)
        self.assertTrue(np.all(c == 0.0))

    def test_discCrop_badSpacingOrCentroid(self):
        img = np.zeros((10, 10), dtype=np.float32)
        for bad in [(0.0, 0.5), (0.5, -1.0), (float("nan"), 0.5)]:
            with self.assertRaises(ValueError):
                crops.disc_crop(img, 5, 5, *bad)
        with self.assertRaises(ValueError):
            crops.disc_crop(img, float("inf"), 5, 0.5, 0.5)


class AugmentedCropTest(unittest.TestCase):
    def test_augmentedCrop_identityEqualsDiscCrop(self):
        rng = np.random.default_rng(4)
        img = rng.uniform(0, 255, (200, 220)).astype(np.float32)
        a = crops.augmented_crop(img, 101.3, 88.8, 0.46875, 0.52)
        b = crops.disc_crop(img, 101.3, 88.8, 0.46875, 0.52)
        np.testing.assert_allclose(a, b, atol=1e-6)

    def test_augmentedCrop_rotation90OnRampSwapsAxes(self):
        img = ramp(400, 400, a=1.0, b=0.0)  # varies along x only
        c = crops.augmented_crop(img, 200.0, 200.0, 0.5, 0.5, angle_deg=90.0)
        # after a quarter turn the intensity varies along the crop rows, not its columns
        self.assertLess(np.abs(np.diff(c, axis=1)).max(), 1e-6)
        self.assertGreater(np.abs(np.diff(c, axis=0)).min(), 1e-3)

    def test_augmentedCrop_noiseNeedsRng(self):
        with self.assertRaises(ValueError):
            crops.augmented_crop(np.zeros((10, 10)), 5, 5, 0.5, 0.5, noise_sd=0.1)


if __name__ == "__main__":
    unittest.main()
