package io.spoils.feature.dicom;

import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.UIDGenerator;

/** Fresh DICOM UIDs (PixelMed's generator), for the objects the gateway writes and its tooling. */
public final class DicomUids {
  private static final UIDGenerator UIDS = new UIDGenerator();

  private DicomUids() {}

  /** A fresh DICOM UID (e.g. for a series instance UID shared by the instances of one series). */
  public static synchronized String newUid() {
    try {
      return UIDS.getAnotherNewUID();
    } catch (DicomException e) {
      throw new IllegalStateException("cannot generate a UID", e);
    }
  }
}
