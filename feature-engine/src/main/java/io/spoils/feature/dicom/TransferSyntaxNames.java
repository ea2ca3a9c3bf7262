package io.spoils.feature.dicom;

import java.util.Map;

/** Readable names of transfer syntax UIDs (PS3.6 Table A-1), for messages and {@code dicom-info}. */
final class TransferSyntaxNames {
  private static final Map<String, String> NAMES = Map.ofEntries(
      Map.entry("1.2.840.10008.1.2", "Implicit VR Little Endian"),
      Map.entry("1.2.840.10008.1.2.1", "Explicit VR Little Endian"),
      Map.entry("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian"),
      Map.entry("1.2.840.10008.1.2.2", "Explicit VR Big Endian"),
      Map.entry("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)"),
      Map.entry("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)"),
      Map.entry("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)"),
      Map.entry("1.2.840.10008.1.2.4.70", "JPEG Lossless, First-Order Prediction (Process 14 SV1)"),
      Map.entry("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless"),
      Map.entry("1.2.840.10008.1.2.4.81", "JPEG-LS Near-Lossless"),
      Map.entry("1.2.840.10008.1.2.4.90", "JPEG 2000 (Lossless Only)"),
      Map.entry("1.2.840.10008.1.2.4.91", "JPEG 2000"),
      Map.entry("1.2.840.10008.1.2.4.201", "HTJ2K (Lossless Only)"),
      Map.entry("1.2.840.10008.1.2.4.203", "HTJ2K"),
      Map.entry("1.2.840.10008.1.2.5", "RLE Lossless"));

  private TransferSyntaxNames() {}

  /** The standard name, or "unknown transfer syntax" for UIDs not in the table. */
  static String name(String uid) {
    return NAMES.getOrDefault(uid, "unknown transfer syntax");
  }
}
