package io.spoils.feature.geometry;

import io.spoils.feature.anatomy.VertebraLevel;

/**
 * Measurements of one vertebral body on one sagittal slice, in its own axes (the mean orientation
 * of its endplates). Lengths in mm, area in mm².
 *
 * @param level anatomical level, counted upward from the sacrum
 * @param indexFromBottom 0 for the sacrum (lowest vertebral structure), 1 for the one above, ...
 * @param centroidX body centroid, image column (pixels)
 * @param centroidY body centroid, image row (pixels)
 * @param heightMm mean cranio-caudal height of the vertebral body over its central 80 % of width
 * @param widthMm mean antero-posterior width (depth) of the vertebral body over its central 80 % of
 *     height; posterior elements are excluded
 * @param areaMm2 area of the vertebral body on this slice
 */
public record VertebraGeometry(
    VertebraLevel level,
    int indexFromBottom,
    double centroidX,
    double centroidY,
    double heightMm,
    double widthMm,
    double areaMm2) {}
