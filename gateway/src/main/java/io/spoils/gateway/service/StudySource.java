package io.spoils.gateway.service;

import io.spoils.gateway.backend.Deadline;
import io.spoils.gateway.pipeline.AnalysisRequest;
import io.vertx.core.Future;

/**
 * A study that is not in the request itself and is loaded only once its analysis is admitted, so
 * that admission bounds the memory of loaded studies: a PACS study ({@code DicomWebClient#source})
 * or a series received by the C-STORE listener.
 */
@FunctionalInterface
public interface StudySource {

  /**
   * Loads the study's files and scores; called once, on a Vert.x context, never blocking it.
   *
   * @param deadline when loading must have finished
   * @return the study, or a failure ({@code failure.Failure#of} answers it)
   */
  Future<AnalysisRequest> load(Deadline deadline);
}
