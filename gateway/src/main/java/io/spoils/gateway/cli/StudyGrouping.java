package io.spoils.gateway.cli;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.dicom.DicomReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The files of {@code spoils analyze --batch-out}, grouped into studies by their Study Instance
 * UID. Each file is read once by the analysis' own decoder and let go, so grouping holds one file
 * at a time (and decodes each file once more than the analysis does); files that are not DICOM
 * images, have no Study Instance UID or exceed {@link DicomReader#MAX_FILE_BYTES} are counted as
 * skipped. Studies keep the order in which their
 * first file is met (folders walked in name order), so study numbers are stable between runs.
 */
final class StudyGrouping {

  /**
   * One study's files.
   *
   * @param studyInstanceUid its Study Instance UID
   * @param files its files, in walk order
   */
  record Study(String studyInstanceUid, List<Path> files) {
    Study {
      files = List.copyOf(files);
    }
  }

  /**
   * What the inputs hold.
   *
   * @param studies the studies found, at least one
   * @param skipped files that are not DICOM with a Study Instance UID
   */
  record Grouping(List<Study> studies, int skipped) {
    Grouping {
      studies = List.copyOf(studies);
    }
  }

  private static final DicomReader READER = DicomReader.create();

  private StudyGrouping() {
  }

  /**
   * Groups every regular file of {@code inputs} (folders walked recursively).
   *
   * @throws InvalidInputException when an input does not exist or no file is a DICOM file with a
   *     Study Instance UID
   */
  static Grouping group(List<Path> inputs) throws IOException {
    Map<String, List<Path>> byStudy = new LinkedHashMap<>();
    int skipped = 0;
    for (Path file : files(inputs)) {
      String uid = studyUid(file);
      if (uid.isEmpty()) {
        skipped++;
      } else {
        byStudy.computeIfAbsent(uid, u -> new ArrayList<>()).add(file);
      }
    }
    if (byStudy.isEmpty()) {
      throw new InvalidInputException("none of the given files is a DICOM file with a Study "
          + "Instance UID");
    }
    List<Study> studies = new ArrayList<>();
    byStudy.forEach((uid, files) -> studies.add(new Study(uid, files)));
    return new Grouping(studies, skipped);
  }

  private static List<Path> files(List<Path> inputs) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path input : inputs) {
      if (Files.isDirectory(input)) {
        try (Stream<Path> walk = Files.walk(input)) {
          files.addAll(walk.filter(Files::isRegularFile).sorted().toList());
        }
      } else if (Files.isRegularFile(input)) {
        files.add(input);
      } else {
        throw new InvalidInputException("an input path does not exist or is not a file or folder");
      }
    }
    return files;
  }

  /**
   * The file's Study Instance UID; empty when it is not a DICOM image the analysis can read or has
   * none. Read by the same bounded decoder as the analysis ({@link DicomReader}: declared lengths
   * checked against the file before anything is allocated), so a hostile file costs no more here
   * than it would there. A file whose first bytes are not DICOM's (a CD's viewer program, a
   * README: {@link DicomReader#looksLikeDicom(Path)}) is not read whole.
   */
  static String studyUid(Path file) {
    try {
      if (Files.size(file) > DicomReader.MAX_FILE_BYTES || !DicomReader.looksLikeDicom(file)) {
        return "";
      }
      return READER.read(file).studyInstanceUid().trim();
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
