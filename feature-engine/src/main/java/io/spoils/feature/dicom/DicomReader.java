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
   * Reads a DICOM file held in a buffer, from its position to its limit, within a study's decoding
   * budget; neither position nor limit is changed and the bytes are not modified, so the buffer may
   * be a read-only view of bytes held elsewhere (e.g. a received protobuf message). Pixels and
   * inflated bytes are claimed from {@code budget} before they are allocated, and its stop check
   * runs between the large steps (whatever it throws passes through unchanged).
   *
   * @return the first frame and its attributes
   * @throws InvalidInputException when the bytes are not a readable greyscale DICOM image
   * @throws DecodeBudgetExceededException when decoding them would pass the budget
   */
  DicomSlice read(java.nio.ByteBuffer bytes, DecodeBudget budget);

  /**
   * The file's Number of Frames (1 for a single-frame file), from its header alone: no pixel is
   * decoded, so a many-frame compressed object costs its header's parse, not its frames.
   *
   * @throws InvalidInputException when the bytes are not a readable greyscale DICOM image header
   */
  int numberOfFrames(java.nio.ByteBuffer bytes);

  /**
   * As {@link #read(java.nio.ByteBuffer, DecodeBudget)} with a budget of its own
   * ({@link DecodeLimits#defaults()}).
   *
   * @throws InvalidInputException when the bytes are not a readable greyscale DICOM image
   */
  default DicomSlice read(java.nio.ByteBuffer bytes) {
    return read(bytes, DecodeBudget.of(DecodeLimits.defaults()));
  }

  /**
   * Reads a DICOM Part 10 file (or a bare data set) held in memory, with a budget of its own.
   *
   * @param bytes the whole file
   * @throws InvalidInputException when the bytes are not a readable greyscale DICOM image
   */
  default DicomSlice read(byte[] bytes) {
    return read(java.nio.ByteBuffer.wrap(bytes));
  }

  /**
   * Reads a DICOM file from disk, with a budget of its own.
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
    } catch (java.nio.file.NoSuchFileException e) {
      throw new InvalidInputException("file cannot be read (no such file)", e);
    } catch (java.nio.file.AccessDeniedException e) {
      throw new InvalidInputException("file cannot be read (permission denied)", e);
    } catch (IOException e) {
      throw new InvalidInputException("file cannot be read (" + (Files.isDirectory(file)
          ? "it is a directory" : "input/output error") + ")", e);
    }
  }

  /** Bytes {@link #looksLikeDicom} reads: the preamble, the marker and one element header. */
  int SNIFF_BYTES = 140;

  /**
   * Whether {@code head}, the first {@link #SNIFF_BYTES} bytes of a file (fewer for a shorter
   * file), could begin a DICOM file: the {@code DICM} marker, file meta information, or a data set
   * without them. A file this says no to is not DICOM (the reader would refuse it as "not a DICOM
   * file"); one it says yes to may still be unreadable. For leaving out the other files of a
   * folder (a CD's viewer, a README) without reading them whole.
   */
  static boolean looksLikeDicom(java.nio.ByteBuffer head) {
    return DicomStructureCheck.looksLikeDicom(head);
  }

  /** {@link #looksLikeDicom(java.nio.ByteBuffer)} of the file's first bytes (not read whole). */
  static boolean looksLikeDicom(Path file) throws IOException {
    try (java.io.InputStream in = Files.newInputStream(file)) {
      return looksLikeDicom(java.nio.ByteBuffer.wrap(in.readNBytes(SNIFF_BYTES)));
    }
  }

  /** The default implementation (PixelMed). */
  static DicomReader create() {
    return new PixelMedDicomReader();
  }
}
