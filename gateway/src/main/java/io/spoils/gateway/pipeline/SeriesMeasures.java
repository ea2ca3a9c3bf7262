package io.spoils.gateway.pipeline;

import io.spoils.feature.geometry.DiscGeometry;
import io.spoils.feature.geometry.DiscVolumes;
import io.spoils.feature.geometry.MidSagittalSlice;
import io.spoils.feature.geometry.SliceAnatomy;
import io.spoils.feature.geometry.SpineGeometry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The series-wide steps around the measured slice (blocking, pure): the choice of that slice among
 * the segmented ones ({@link MidSagittalSlice}) and the disc volumes across them
 * ({@link DiscVolumes}). Only the measured slice gets level labelling and geometry; the others are
 * read once each for their canal area and disc pieces ({@link SliceAnatomy}).
 */
final class SeriesMeasures {

  /**
   * The discs with their volumes.
   *
   * @param geometry the measured slice's geometry, each disc with its volume (NaN without one)
   * @param volumeSlices per disc (geometry order), the slices summed; 0 without a volume
   * @param warnings why volumes are missing, when they are
   */
  record Volumes(SpineGeometry geometry, List<Integer> volumeSlices,
      List<PipelineEvent.Warning> warnings) { }

  private SeriesMeasures() {
  }

  /**
   * The measured slice of {@code series}.
   *
   * @param slices one per slice of {@code series} (empty list for a one-slice series, which has
   *     nothing to choose)
   * @param seriesSize slices in the whole series, for the reason
   */
  static PipelineEvent.MeasuredSlice choose(SeriesSlices series, List<SliceAnatomy> slices,
      int seriesSize) {
    if (series.size() == 1) {
      String reason = seriesSize == 1 ? "the series has one slice" : "only the slice at the "
          + "geometric centre was segmented (the slices differ in size or pixel spacing)";
      return new PipelineEvent.MeasuredSlice(series.offset(), series.instanceNumbers().get(0),
          reason, Double.NaN, series.offset(), List.of(), series.sopInstanceUids().get(0),
          series.frameNumbers().get(0));
    }
    MidSagittalSlice choice = MidSagittalSlice.choose(slices, series.geometricCentre());
    return new PipelineEvent.MeasuredSlice(series.offset() + choice.index(),
        series.instanceNumbers().get(choice.index()), choice.reason(), choice.score(),
        series.offset() + choice.geometricCentre(), choice.scores(),
        series.sopInstanceUids().get(choice.index()), series.frameNumbers().get(choice.index()));
  }

  /**
   * The volumes of the measured slice's discs.
   *
   * @param chosen index of the measured slice in {@code series}
   */
  static Volumes volumes(SpineGeometry geometry, SeriesSlices series, List<SliceAnatomy> slices,
      int chosen) {
    List<Integer> none = geometry.discs().stream().map(d -> 0).toList();
    if (series.size() == 1) {
      return new Volumes(geometry, none, List.of(notComputed("only one slice was segmented, so "
          + "no disc volume was computed")));
    }
    if (series.spacingMm().isEmpty()) {
      return new Volumes(geometry, none, List.of(notComputed("the series gives no slice "
          + "positions, Spacing Between Slices or Slice Thickness, so no disc volume was "
          + "computed")));
    }
    List<DiscVolumes.Volume> volumes = DiscVolumes.of(geometry.discs(), slices, chosen,
        series.spacingMm().getAsDouble());
    List<DiscGeometry> discs = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    for (int i = 0; i < volumes.size(); i++) {
      discs.add(DiscVolumes.withVolume(geometry.discs().get(i), volumes.get(i).volumeMm3()));
      counts.add(volumes.get(i).slices());
    }
    return new Volumes(new SpineGeometry(discs, geometry.vertebrae(), geometry.warnings()), counts,
        List.of());
  }

  private static PipelineEvent.Warning notComputed(String why) {
    return new PipelineEvent.Warning("VOLUME_NOT_COMPUTED", "Volumes were asked for but "
        + why + ".", Optional.empty());
  }
}
