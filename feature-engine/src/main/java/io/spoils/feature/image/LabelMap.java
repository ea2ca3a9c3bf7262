package io.spoils.feature.image;

import java.util.Objects;

/**
 * A 2-D label map: one unsigned byte class id per pixel, row-major ({@code labels[y * width + x]}),
 * with its physical pixel spacing. Which ids mean what is given by {@link Scheme}. The array is owned
 * by the record: callers must not modify it.
 *
 * @param width columns, &gt; 0
 * @param height rows, &gt; 0
 * @param labels row-major class ids (read with {@code & 0xFF}), length {@code width * height}
 * @param spacing physical pixel size
 * @param scheme how the ids are to be read
 */
public record LabelMap(int width, int height, byte[] labels, PixelSpacing spacing, Scheme scheme) {

  /** The meaning of the ids. */
  public enum Scheme {
    /**
     * SPIDER reference masks: 0 background, 29 intervertebral disc, 76 vertebra (body, posterior
     * elements and sacrum), 150 spinal canal. No level numbers. The segmentation model's maps use
     * the same values plus 31 for the lumbosacral (L5-S1) disc (segmentation contract v2).
     */
    SPIDER,
    /** The project's 14 anatomical classes, ids as in {@link io.spoils.feature.anatomy.AnatomyLabel}. */
    ANATOMY14
  }

  public LabelMap {
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(spacing, "spacing");
    Objects.requireNonNull(scheme, "scheme");
    if (width <= 0 || height <= 0 || (long) width * height != labels.length) {
      throw new IllegalArgumentException("label map " + width + "x" + height + " does not match "
          + labels.length + " labels");
    }
  }

  /** Class id at column {@code x}, row {@code y}, 0-255. */
  public int get(int x, int y) {
    return labels[y * width + x] & 0xFF;
  }
}
