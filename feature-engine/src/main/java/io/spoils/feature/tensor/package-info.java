/**
 * Model tensors and the pre- and post-processing of the GPU models, exactly as
 * {@code triton-models/CONTRACT.md} defines them and the Python training code computes them
 * (parity-tested): {@link io.spoils.feature.tensor.FloatTensor} (row-major float32),
 * {@link io.spoils.feature.tensor.BilinearResize} (PyTorch's bilinear interpolation, bit for bit),
 * {@link io.spoils.feature.tensor.ZScore}, the segmentation input and output
 * ({@link io.spoils.feature.tensor.SegmentationInput}, {@link io.spoils.feature.tensor.SegmentationOutput})
 * and the disc grading crop ({@link io.spoils.feature.tensor.DiscCrop}). Pure, synchronous Java.
 */
package io.spoils.feature.tensor;
