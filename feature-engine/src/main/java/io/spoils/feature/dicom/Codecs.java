package io.spoils.feature.dicom;

import io.spoils.feature.InvalidInputException;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Whether the compressed transfer syntaxes that need an image codec plug-in can be decoded here,
 * decided from the header so that a file whose pixels cannot be decoded is known before its series
 * is chosen ({@link StudyReader}). PixelMed decodes JPEG-LS and JPEG 2000 through an ImageIO reader
 * of that format; where none is installed (Debian's PixelMed ships none), such files are refused
 * with the same reason the pixel decoder would give. Other syntaxes are left to the decoder.
 */
final class Codecs {
  /** Transfer syntax UID to the ImageIO format name PixelMed asks for. */
  private static final Map<String, String> PLUG_IN_FORMATS = Map.of(
      "1.2.840.10008.1.2.4.80", "jpeg-ls",
      "1.2.840.10008.1.2.4.81", "jpeg-ls",
      "1.2.840.10008.1.2.4.90", "jpeg2000",
      "1.2.840.10008.1.2.4.91", "jpeg2000",
      "1.2.840.10008.1.2.4.201", "jpeg2000",
      "1.2.840.10008.1.2.4.203", "jpeg2000");

  private Codecs() { }

  /**
   * @throws InvalidInputException when {@code tsUid} needs a codec plug-in that is not installed
   */
  static void requireDecodable(String tsUid, String tsName) {
    String format = PLUG_IN_FORMATS.get(tsUid);
    if (format != null && !ImageIO.getImageReadersByFormatName(format).hasNext()) {
      throw new InvalidInputException("pixel data compressed with transfer syntax " + tsName
          + " (" + tsUid + ") cannot be decoded (no codec available)");
    }
  }
}
