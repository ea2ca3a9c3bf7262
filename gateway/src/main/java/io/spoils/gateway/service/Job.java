package io.spoils.gateway.service;

import io.spoils.gateway.pipeline.AnalysisRequest;
import java.util.Objects;
import java.util.Optional;

/**
 * One validated analysis, whichever way its study arrived: every entry point (gRPC
 * {@code Analyze} and {@code AnalyzeUpload}, HTTP, DICOMweb, C-STORE) builds one and hands it to
 * {@link AnalysisService#analyze}.
 *
 * @param request the study and scores; null when {@code source} loads them
 * @param includeMask whether the segmentation event carries the masks
 * @param maxContributions feature contributions per disc, 0-50
 * @param source loads the study once the job is admitted (a PACS study, a received series),
 *     instead of {@code request}
 * @param computeVolume whether disc volumes are summed over the series' slices (for a
 *     {@code request}, its own {@link AnalysisRequest#computeVolume()})
 * @param storeResults whether the analysis' SR and SEG are sent to the configured PACS
 *     ({@code io.spoils.gateway.output.store}); a deferred job's results may also be stored by
 *     configuration ({@code StoreOptions#pacsStudies})
 */
public record Job(AnalysisRequest request, boolean includeMask, int maxContributions,
    Optional<StudySource> source, boolean computeVolume, boolean storeResults) {

  public Job {
    if ((request == null) == source.isEmpty()) {
      throw new IllegalArgumentException("a job has either a request or a study source");
    }
  }

  /** A job whose results are not stored. */
  public Job(AnalysisRequest request, boolean includeMask, int maxContributions,
      Optional<StudySource> source, boolean computeVolume) {
    this(request, includeMask, maxContributions, source, computeVolume, false);
  }

  /** A job whose study is in the request. */
  public Job(AnalysisRequest request, boolean includeMask, int maxContributions) {
    this(Objects.requireNonNull(request, "request"), includeMask, maxContributions,
        Optional.empty(), request.computeVolume());
  }

  /** A job whose study {@code source} loads once the job is admitted, without volumes. */
  public static Job deferred(StudySource source, boolean includeMask, int maxContributions) {
    return deferred(source, includeMask, maxContributions, false);
  }

  /** A job whose study {@code source} loads once the job is admitted. */
  public static Job deferred(StudySource source, boolean includeMask, int maxContributions,
      boolean computeVolume) {
    return new Job(null, includeMask, maxContributions, Optional.of(source), computeVolume);
  }

  /** This job with volumes summed or not, as {@code value} says. */
  public Job withComputeVolume(boolean value) {
    return new Job(request, includeMask, maxContributions, source, value, storeResults);
  }

  /** This job with its SR and SEG stored on the configured PACS or not, as {@code value} says. */
  public Job withStoreResults(boolean value) {
    return new Job(request, includeMask, maxContributions, source, computeVolume, value);
  }
}
