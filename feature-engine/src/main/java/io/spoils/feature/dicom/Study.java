package io.spoils.feature.dicom;

import java.util.List;

/**
 * All readable slices of one examination grouped into series.
 *
 * @param series series ordered by Series Number (unnumbered last), then plane; unmodifiable
 * @param warnings plain sentences about what was assumed while grouping and ordering; no patient data
 */
public record Study(List<Series> series, List<String> warnings) {
  public Study {
    series = List.copyOf(series);
    warnings = List.copyOf(warnings);
  }
}
