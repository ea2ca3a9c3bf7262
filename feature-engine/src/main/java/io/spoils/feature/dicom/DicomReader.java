package io.spoils.feature.dicom;

import io.spoils.feature.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads one DICOM file into a {@link DicomSlice}. Implementations are stateless and thread-safe.
 * Every problem with the input (empty, not DICOM, truncated, no pixel data, colour, an undecodable
 * compressed transfer syntax) is an {@link InvalidInputException} whose message names the reason and
 * carries no patient data.
 */
public interface DicomReader {
  /** Largest file accepted, in bytes: a single MR slice is far smaller (512 MiB). */
  long MAX_FILE_BYTES = 512L * 1024 * 1024;

  /**
   * Reads a DICOM Part 10 file (or a bare data set) held in memory.
   *
   * @param bytes the whole file
   * @return the first frame and its attributes
   * @throws InvalidInputException when the bytes are not a readable greyscale DICOM image
   */
  DicomSlice read(byte[] bytes);

  /**
   * Reads a DICOM file held in a buffer, from its position to its limit; neither is changed and
   * the bytes are not modified, so the buffer may be a read-only view of bytes held elsewhere
   * (e.g. a received protobuf message). This default copies them into an array.
   *
   * @throws InvalidInputException when the bytes are not a readable greyscale DICOM image
   */
  default DicomSlice read(java.nio.ByteBuffer bytes) {
    byte[] copy = new byte[bytes.remaining()];
    bytes.duplicate().get(copy);
    return read(copy);
  }

  /**
   * Reads a DICOM file from disk.
   *
   * @throws InvalidInputException when the file cannot be read or is not a readable greyscale image
   */
  default DicomSlice read(Path file) {
    try {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw new InvalidInputException("file is larger than " + MAX_FILE_BYTES + " bytes");
      }
      return read(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new InvalidInputException("file cannot be read (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  /** The default implementation (PixelMed). */
  static DicomReader create() {
    return new PixelMedDicomReader();
  }
}
