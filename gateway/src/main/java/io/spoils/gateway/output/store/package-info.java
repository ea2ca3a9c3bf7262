/**
 * Results back to the PACS: an analysis' DICOM SR and SEG ({@link
 * io.spoils.gateway.output.store.ResultObjects}, the same objects as {@code analyze --sr-out} and
 * {@code --seg-out}) sent to the destinations of {@code config.StoreOptions}: a DICOMweb PACS by
 * STOW-RS ({@link io.spoils.gateway.output.store.StowRsDestination}) and/or an AE by C-STORE
 * ({@link io.spoils.gateway.output.store.CStoreDestination}), each retried with backoff
 * ({@link io.spoils.gateway.output.store.Retry}) within one deadline
 * ({@link io.spoils.gateway.output.store.ResultStore}). The service runs an analysis that stores
 * through {@link io.spoils.gateway.output.store.StoringSink}, which holds the summary back until
 * the outcome warning ({@code RESULTS_STORED} or {@code RESULTS_NOT_STORED}) has been sent, so the
 * summary stays the last event. Depends on {@code output}, {@code pipeline}, {@code config} and
 * {@code backend} only; never on a transport.
 */
package io.spoils.gateway.output.store;
