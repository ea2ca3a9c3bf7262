package io.spoils.feature.geometry;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.anatomy.DiscLevel;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.LabelMap;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Measures several parallel sagittal slices of one series and fills each disc's
 * {@link DiscGeometry#volumeMm3()}: the sum over the slices of that level's disc area times the
 * spacing between slices (a prism sum). Discs are matched across slices by their level name
 * (thoracic discs are not given a volume, as several share that name). With one slice the volume
 * stays NaN.
 */
public final class SeriesMeasurer {
  private final SpineMeasurer measurer;

  public SeriesMeasurer(SpineMeasurer measurer) {
    this.measurer = Objects.requireNonNull(measurer, "measurer");
  }

  /**
   * @param masks label maps of parallel slices, any order, all the same size
   * @param images the matching images, or {@code null} for none (entries may also be null)
   * @param sliceSpacingMm distance between adjacent slice centres, mm, &gt; 0
   * @return one geometry per mask, in the masks' order, with volumes filled
   * @throws InvalidInputException for an empty list, a bad spacing, or any slice's own problem
   */
  public List<SpineGeometry> measure(List<LabelMap> masks, List<GreyImage> images,
      double sliceSpacingMm) {
    if (masks == null || masks.isEmpty()) {
      throw new InvalidInputException("no slices given");
    }
    if (!(sliceSpacingMm > 0) || Double.isInfinite(sliceSpacingMm)) {
      throw new InvalidInputException("spacing between slices must be positive and finite");
    }
    if (images != null && images.size() != masks.size()) {
      throw new InvalidInputException("got " + masks.size() + " masks but " + images.size()
          + " images");
    }
    List<SpineGeometry> slices = new ArrayList<>();
    Map<DiscLevel, Double> volume = new EnumMap<>(DiscLevel.class);
    for (int i = 0; i < masks.size(); i++) {
      SpineGeometry g = measurer.measure(masks.get(i), images == null ? null : images.get(i));
      slices.add(g);
      for (DiscGeometry d : g.discs()) {
        if (d.level() != DiscLevel.THORACIC) {
          volume.merge(d.level(), d.areaMm2() * sliceSpacingMm, Double::sum);
        }
      }
    }
    if (masks.size() == 1) {
      return slices;
    }
    List<SpineGeometry> out = new ArrayList<>();
    for (SpineGeometry g : slices) {
      List<DiscGeometry> discs = new ArrayList<>();
      for (DiscGeometry d : g.discs()) {
        discs.add(withVolume(d, volume.getOrDefault(d.level(), Double.NaN)));
      }
      out.add(new SpineGeometry(discs, g.vertebrae(), g.warnings()));
    }
    return out;
  }

  private static DiscGeometry withVolume(DiscGeometry d, double volumeMm3) {
    return DiscVolumes.withVolume(d, volumeMm3);
  }
}
