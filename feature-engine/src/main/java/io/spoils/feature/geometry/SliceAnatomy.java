package io.spoils.feature.geometry;

import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelBox;
import io.spoils.feature.image.PixelSpacing;
import io.spoils.feature.levels.ConnectedComponents;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one sagittal slice's semantic map shows, for choosing the mid-sagittal slice of a series
 * ({@link MidSagittalSlice}) and for summing disc volumes across it ({@link DiscVolumes}): the
 * spinal canal's area and each disc's connected pieces (8-connected, with centroid and area). One
 * pass over the map plus the tracing of the disc pixels; no level labelling, so it costs a small
 * part of {@link SpineMeasurer#measure}. Disc pixels are the SPIDER value {@value #DISC} and the
 * lumbosacral disc {@value #LUMBOSACRAL_DISC} of the segmentation contract v2; the canal is
 * {@value #CANAL}.
 *
 * <p>Areas are in mm², so anatomies read on different grids (a slice's whole map, or the model's
 * coarser grid of a part of it, {@link #resampled}) add up; centroids are in the pixels of the
 * grid whose spacing {@code spacing} is (after {@link #resampled}, the whole slice's).
 *
 * @param canalAreaMm2 spinal canal area on the slice, mm², &gt;= 0
 * @param discs the disc pieces, in raster order of their first pixel
 * @param spacing pixel spacing of the grid the centroids are in
 */
public record SliceAnatomy(double canalAreaMm2, List<DiscPiece> discs, PixelSpacing spacing) {

  /** SPIDER value of an intervertebral disc. */
  public static final int DISC = 29;
  /** Value of the lumbosacral (L5-S1) disc in the v2 segmentation's semantic map. */
  public static final int LUMBOSACRAL_DISC = 31;
  /** SPIDER value of the spinal canal. */
  public static final int CANAL = 150;

  /**
   * One connected piece of disc pixels.
   *
   * @param centroidX mean column index, pixels
   * @param centroidY mean row index, pixels
   * @param areaMm2 area, mm², &gt; 0
   */
  public record DiscPiece(double centroidX, double centroidY, double areaMm2) { }

  public SliceAnatomy {
    Objects.requireNonNull(spacing, "spacing");
    discs = List.copyOf(discs);
  }

  /**
   * Reads a SPIDER-scheme semantic map; centroids in its pixels.
   *
   * @throws IllegalArgumentException for a map in another scheme
   */
  public static SliceAnatomy of(LabelMap map) {
    if (map.scheme() != LabelMap.Scheme.SPIDER) {
      throw new IllegalArgumentException("slice anatomy reads SPIDER-scheme maps, got "
          + map.scheme());
    }
    byte[] labels = map.labels();
    boolean[] disc = new boolean[labels.length];
    int canal = 0;
    for (int p = 0; p < labels.length; p++) {
      int v = labels[p] & 0xFF;
      canal += v == CANAL ? 1 : 0;
      disc[p] = v == DISC || v == LUMBOSACRAL_DISC;
    }
    double area = map.spacing().pixelAreaMm2();
    List<DiscPiece> pieces = new ArrayList<>();
    for (int[] component : ConnectedComponents.of(disc, map.width(), map.height())) {
      long sx = 0;
      long sy = 0;
      for (int p : component) {
        sx += p % map.width();
        sy += p / map.width();
      }
      pieces.add(new DiscPiece((double) sx / component.length, (double) sy / component.length,
          component.length * area));
    }
    return new SliceAnatomy(canal * area, pieces, map.spacing());
  }

  /**
   * Reads a SPIDER-scheme map drawn on another grid over the part {@code part} of a slice of
   * {@code spacing} (the segmentation model's grid of that part: the same field of view in
   * {@code gridMap}'s pixels); centroids moved to the slice's pixels ({@link #resampled}), areas
   * in mm² from {@code gridMap}'s spacing.
   *
   * @throws IllegalArgumentException for a map in another scheme
   */
  public static SliceAnatomy ofPart(LabelMap gridMap, PixelBox part, PixelSpacing spacing) {
    return of(gridMap).resampled((double) part.width() / gridMap.width(),
        (double) part.height() / gridMap.height(), part.x(), part.y(), spacing);
  }

  /**
   * The same anatomy with its centroids moved to another pixel grid of {@code target} spacing:
   * a centroid at column {@code x} of this grid goes to {@code (x + 0.5) * scaleX - 0.5 + dx}
   * there (pixel centres, the half-pixel convention of a bilinear resize whose target pixels are
   * {@code scaleX} of this grid's), likewise the rows. Areas are unchanged. A part of the slice
   * read at the slice's own pixels, whose top-left pixel is column {@code dx}, row {@code dy} of
   * the whole slice, moves with scales 1.
   */
  public SliceAnatomy resampled(double scaleX, double scaleY, double dx, double dy,
      PixelSpacing target) {
    return new SliceAnatomy(canalAreaMm2, discs.stream()
        .map(d -> new DiscPiece((d.centroidX() + 0.5) * scaleX - 0.5 + dx,
            (d.centroidY() + 0.5) * scaleY - 0.5 + dy, d.areaMm2())).toList(), target);
  }

  /** Disc pieces of at least {@code minAreaMm2} (fragments below it are segmentation noise). */
  public int discsAtLeast(double minAreaMm2) {
    int n = 0;
    for (DiscPiece d : discs) {
      n += d.areaMm2() >= minAreaMm2 ? 1 : 0;
    }
    return n;
  }
}
