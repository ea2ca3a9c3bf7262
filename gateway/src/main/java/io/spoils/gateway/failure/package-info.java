/**
 * Coded failures: the one exception type ({@link io.spoils.gateway.failure.AnalysisException})
 * carrying a {@link io.spoils.gateway.failure.FailureCode}, and the one table from codes to gRPC
 * and HTTP statuses ({@link io.spoils.gateway.failure.FailureCode},
 * {@link io.spoils.gateway.failure.Failure#of}). A leaf package: backends, pipeline, service,
 * ingest and server all throw or answer with it, so it depends on none of them.
 */
package io.spoils.gateway.failure;
