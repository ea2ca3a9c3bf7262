package io.spoils.gateway.ingest;

import io.spoils.gateway.backend.Deadline;
import io.spoils.gateway.pipeline.AnalysisRequest;
import io.vertx.core.Future;

/**
 * A study that is not in the request itself and is loaded only once its analysis is admitted, so
 * that admission bounds the memory of loaded studies: a PACS study ({@link DicomWebClient#source})
 * or a series received by the C-STORE listener.
 */
@FunctionalInterface
public interface StudySource {

  /**
   * Loads the study's files and scores; called once, on a Vert.x context, never blocking it.
   *
   * @param deadline when loading must have finished
   * @return the study, or a failure mapped by {@code ErrorMapping}
   */
  Future<AnalysisRequest> load(Deadline deadline);
}
