package io.spoils.gateway.output.store;

import io.spoils.gateway.backend.Deadline;
import io.vertx.core.Future;
import java.util.List;

/**
 * Somewhere an analysis' DICOM objects are sent: a DICOMweb PACS by STOW-RS
 * ({@link StowRsDestination}) or an application entity by C-STORE ({@link CStoreDestination}).
 * One call is one try; {@link Retry} repeats it.
 */
public interface StoreDestination {

  /** How the outcome names it, from configuration only (e.g. {@code DICOMweb PACS orthanc}). */
  String name();

  /**
   * Sends every object once; never blocks the calling event loop.
   *
   * @param objects DICOM Part 10 files (with their meta header)
   * @param deadline when the try must have ended
   * @return completes when the destination has accepted every object, or fails with a
   *     {@link StoreException}
   */
  Future<Void> send(List<byte[]> objects, Deadline deadline);
}
