package io.spoils.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * One study to send: a DICOM file, or every regular file of a folder (not recursive, sorted by name).
 * The bytes are read once and sent as they are.
 *
 * @param name the file or folder name (for messages; no patient data is read)
 * @param files the files, at least one
 */
public record Study(String name, List<File> files) {

  /**
   * One file of a study.
   *
   * @param name file name, sent as the gRPC {@code DicomFile.name}
   * @param content the bytes
   */
  public record File(String name, byte[] content) {
    public File {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(content, "content");
    }
  }

  public Study {
    Objects.requireNonNull(name, "name");
    files = List.copyOf(files);
    if (files.isEmpty()) {
      throw new IllegalArgumentException("study " + name + " has no files");
    }
  }

  /** Total bytes of the study's files. */
  public long bytes() {
    return files.stream().mapToLong(f -> f.content().length).sum();
  }

  /**
   * The study at {@code path}: the file itself, or the folder's regular files.
   *
   * @throws IllegalArgumentException when the path is missing, unreadable or an empty folder
   */
  public static Study read(Path path) {
    try {
      if (Files.isRegularFile(path)) {
        return new Study(path.getFileName().toString(),
            List.of(new File(path.getFileName().toString(), Files.readAllBytes(path))));
      }
      if (!Files.isDirectory(path)) {
        throw new IllegalArgumentException("study " + path + " is neither a file nor a folder");
      }
      List<File> files = new ArrayList<>();
      try (Stream<Path> list = Files.list(path)) {
        for (Path p : list.filter(Files::isRegularFile).sorted().toList()) {
          files.add(new File(p.getFileName().toString(), Files.readAllBytes(p)));
        }
      }
      if (files.isEmpty()) {
        throw new IllegalArgumentException("study folder " + path + " holds no files");
      }
      return new Study(path.getFileName().toString(), files);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read study " + path, e);
    }
  }
}
