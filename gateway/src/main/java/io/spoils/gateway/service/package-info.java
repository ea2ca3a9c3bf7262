/**
 * The transport-neutral analysis service: a {@link io.spoils.gateway.service.Job} (a study or a
 * {@link io.spoils.gateway.service.StudySource} that loads one, scores, options), admission
 * ({@link io.spoils.gateway.service.Admission}), graceful drain
 * ({@link io.spoils.gateway.service.Drain}) and the service that runs jobs through the pipeline
 * ({@link io.spoils.gateway.service.AnalysisService}). {@code server} (gRPC, HTTP) and
 * {@code ingest} (DICOMweb, C-STORE) adapt their requests to jobs; this package knows neither.
 * Failures are the coded ones of {@code io.spoils.gateway.failure}.
 */
package io.spoils.gateway.service;
