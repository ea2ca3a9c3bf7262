package io.spoils.feature.geometry;

import io.spoils.feature.anatomy.DiscLevel;

/**
 * Measurements of one intervertebral disc on one sagittal slice. Lengths are in millimetres,
 * areas in mm², angles in degrees. Heights are measured along the disc's own cranio-caudal axis
 * and widths along its antero-posterior axis (the endplate orientation), so lordosis and tilt do not
 * bias them. A value that cannot be measured (for example signal features without an image, or a
 * neighbour that is missing) is {@link Double#NaN}.
 *
 * @param level anatomical level, counted upward from the lowest disc
 * @param indexFromBottom 0 for the lowest disc found, 1 for the one above, ...
 * @param centroidX disc centroid, image column (pixels, may be fractional)
 * @param centroidY disc centroid, image row (pixels, may be fractional)
 * @param tiltDeg angle of the disc's antero-posterior axis to the image's horizontal, degrees,
 *     positive when the anterior end is higher in the image (smaller row)
 * @param anteriorHeightMm height at 1/6 of the width from the anterior edge
 * @param centralHeightMm height at the middle of the width
 * @param posteriorHeightMm height at 1/6 of the width from the posterior edge
 * @param averageHeightMm mean height over the central 80 % of the width (area-based)
 * @param averageWidthMm mean antero-posterior width over the central 80 % of the height
 * @param midWidthMm antero-posterior width through the centroid, at mid-height
 * @param areaMm2 disc area on this slice
 * @param heightIndex disc height index: averageHeightMm divided by the mean of the heights of the
 *     vertebral bodies above and below (one of them when only one exists); NaN without either
 * @param signalMean mean image value inside the disc (image units); NaN without an image
 * @param signalRatioToCsf disc signal over the mean signal of the spinal canal (CSF) at the slice
 * @param signalRatioToVertebra disc signal over the mean signal of the adjacent vertebral bodies
 * @param signalDiffToNeighbours signalRatioToCsf minus the mean signalRatioToCsf of the adjacent
 *     discs (negative: darker than its neighbours)
 * @param canalApDiameterMm antero-posterior diameter of the spinal canal at the disc's level,
 *     measured along the disc's antero-posterior axis behind the disc
 * @param volumeMm3 disc volume summed over the slices of a series; NaN for a single slice
 */
public record DiscGeometry(
    DiscLevel level,
    int indexFromBottom,
    double centroidX,
    double centroidY,
    double tiltDeg,
    double anteriorHeightMm,
    double centralHeightMm,
    double posteriorHeightMm,
    double averageHeightMm,
    double averageWidthMm,
    double midWidthMm,
    double areaMm2,
    double heightIndex,
    double signalMean,
    double signalRatioToCsf,
    double signalRatioToVertebra,
    double signalDiffToNeighbours,
    double canalApDiameterMm,
    double volumeMm3) {}
