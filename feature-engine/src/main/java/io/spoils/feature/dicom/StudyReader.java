package io.spoils.feature.dicom;

import io.spoils.feature.InvalidInputException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Reads the files of one study in two passes, so that only the chosen series is decoded:
 *
 * <ol>
 *   <li>attributes of every file (structure checks, inflation of deflated data sets, the header up to
 *       Pixel Data, no pixels), grouped and ordered by {@link StudyAssembler}, which chooses the
 *       sagittal T2 series ({@link StudyAssembler#chooseSagittalT2});
 *   <li>pixels of the chosen series' files only, within the study's {@link DecodeBudget}.
 * </ol>
 *
 * <p>A whole examination (localisers, axial series, a 3D series of 150 slices beside the 2D
 * sagittal T2) therefore costs the pixels of one series, not of all of them. Files whose
 * attributes cannot be read are skipped, as are files of the chosen series whose pixels cannot be
 * decoded; when no file of the chosen series decodes, the choice is made again without that series.
 * A file that would pass the budget fails the study ({@link DecodeBudgetExceededException}). The
 * inflated bytes of a deflated file of the chosen series count twice against the budget (once per
 * pass), which only makes the limit stricter.
 *
 * <p>Stateless and thread-safe; the budget is the caller's, one per study.
 */
public final class StudyReader {

  /**
   * A file left out of the analysis.
   *
   * @param file index of the file in the caller's list
   * @param reason why (the reader's message; no patient data)
   */
  public record Skipped(int file, String reason) { }

  /**
   * What was read.
   *
   * @param chosen the chosen series, decoded, with the choice's warnings; its mid index is that of
   *     the decoded slices
   * @param readableFiles files whose attributes were read (images of any series)
   * @param seriesCount series found among them
   * @param assemblyWarnings {@link Study#warnings()} of the whole study
   * @param skipped files left out, in file order
   * @param chosenFiles for each slice of {@code chosen}, in its order, the index of its file (the
   *     frames of a multi-frame file share it; {@link DicomSlice#frame()} tells them apart)
   * @param seriesSize slices of the chosen series: those decoded, and those outside the decoded
   *     window (counted without being decoded); &gt;= {@code chosen.series().size()}
   * @param offset slices of the series before the decoded window (0 when all were decoded)
   */
  public record Result(SagittalT2 chosen, int readableFiles, int seriesCount,
      List<String> assemblyWarnings, List<Skipped> skipped, List<Integer> chosenFiles,
      int seriesSize, int offset) {
    public Result {
      if (offset < 0 || seriesSize < offset + chosen.series().size()) {
        throw new IllegalArgumentException("the decoded window lies outside the series");
      }
      Objects.requireNonNull(chosen, "chosen");
      assemblyWarnings = List.copyOf(assemblyWarnings);
      skipped = List.copyOf(skipped);
      chosenFiles = List.copyOf(chosenFiles);
      if (chosenFiles.size() != chosen.series().size()) {
        throw new IllegalArgumentException("one file index per slice of the chosen series");
      }
    }
  }

  private final PixelMedDicomReader reader = new PixelMedDicomReader();

  private StudyReader() { }

  /** A reader on PixelMed. */
  public static StudyReader create() {
    return new StudyReader();
  }

  /**
   * Reads the study.
   *
   * @param files the study's files (each buffer from its position to its limit, left unchanged)
   * @param where names file {@code i} in messages, e.g. "file 3"
   * @param budget the study's decoding budget and stop check
   * @throws InvalidInputException when no file is a readable DICOM image or there is no sagittal
   *     series with a decodable image; the message names the first file's reason
   * @throws DecodeBudgetExceededException when a file would pass the budget (prefixed with its
   *     {@code where})
   */
  public Result read(List<ByteBuffer> files, IntFunction<String> where, DecodeBudget budget) {
    return read(files, where, budget, Integer.MAX_VALUE);
  }

  /**
   * Reads the study, decoding at most {@code maxSlices} slices of the chosen series: those around
   * its mid-sagittal slice (a 3D series of 150 slices then costs the pixels of {@code maxSlices}).
   *
   * @param maxSlices most slices decoded, &gt;= 1
   * @see #read(List, IntFunction, DecodeBudget)
   */
  public Result read(List<ByteBuffer> files, IntFunction<String> where, DecodeBudget budget,
      int maxSlices) {
    if (maxSlices < 1) {
      throw new IllegalArgumentException("maxSlices must be >= 1, got " + maxSlices);
    }
    List<Skipped> skipped = new ArrayList<>();
    Map<DicomSlice, Integer> fileOf = new IdentityHashMap<>();
    List<DicomSlice> attributes = new ArrayList<>();
    int readable = 0;
    for (int i = 0; i < files.size(); i++) {
      try {
        // a multi-frame (enhanced) file gives one slice per frame
        for (DicomSlice slice : reader.readFrameAttributes(files.get(i), budget)) {
          attributes.add(slice);
          fileOf.put(slice, i);
        }
        readable++;
      } catch (DecodeBudgetExceededException e) {
        throw new DecodeBudgetExceededException(where.apply(i) + ": " + e.getMessage());
      } catch (InvalidInputException e) {
        skipped.add(new Skipped(i, e.getMessage()));
      }
    }
    if (attributes.isEmpty()) {
      String first = where.apply(0) + ": " + skipped.get(0).reason();
      throw new InvalidInputException(files.size() == 1
          ? "not a readable DICOM image (" + first + ")"
          : "none of the " + files.size() + " files is a readable DICOM image (first, "
              + first + ")");
    }
    Study study = StudyAssembler.assemble(attributes);
    Set<Series> undecodable = Collections.newSetFromMap(new IdentityHashMap<>());
    String firstPixelFailure = null;
    while (true) {
      SagittalT2 choice = choose(study, undecodable, firstPixelFailure);
      List<DicomSlice> all = choice.series().slices();
      int from = all.size() <= maxSlices ? 0
          : Math.max(0, Math.min(choice.midIndex() - maxSlices / 2, all.size() - maxSlices));
      int to = Math.min(all.size(), from + maxSlices);
      // each file once, with the frames of it that are wanted (one decode of a multi-frame file)
      Map<Integer, List<DicomSlice>> byFile = new java.util.LinkedHashMap<>();
      for (DicomSlice s : all.subList(from, to)) {
        byFile.computeIfAbsent(fileOf.get(s), k -> new ArrayList<>()).add(s);
      }
      List<DicomSlice> decoded = new ArrayList<>();
      DicomSlice midDecoded = null;
      for (var e : byFile.entrySet()) {
        int i = e.getKey();
        int[] frames = e.getValue().stream().mapToInt(DicomSlice::frame).toArray();
        try {
          List<DicomSlice> pixels = reader.readFrames(files.get(i), budget, frames);
          for (int k = 0; k < pixels.size(); k++) {
            decoded.add(pixels.get(k));
            fileOf.put(pixels.get(k), i);
            midDecoded = e.getValue().get(k) == choice.midSlice() ? pixels.get(k) : midDecoded;
          }
        } catch (DecodeBudgetExceededException ex) {
          throw new DecodeBudgetExceededException(where.apply(i) + ": " + ex.getMessage());
        } catch (InvalidInputException ex) {
          firstPixelFailure = firstPixelFailure == null ? where.apply(i) + ": " + ex.getMessage()
              : firstPixelFailure;
          skipped.add(new Skipped(i, ex.getMessage()));
        }
      }
      if (decoded.isEmpty()) {
        undecodable.add(choice.series());
        continue;
      }
      skipped.sort(java.util.Comparator.comparingInt(Skipped::file));
      Series series = StudyAssembler.assemble(decoded).series().get(0);
      List<Integer> chosenFiles = series.slices().stream().map(fileOf::get).toList();
      int mid = midDecoded == null ? -1 : series.slices().indexOf(midDecoded);
      SagittalT2 chosen = new SagittalT2(series, mid >= 0 ? mid : StudyAssembler.midIndex(series),
          choice.t2Weighted(), choice.warnings());
      int lost = (to - from) - decoded.size();
      return new Result(chosen, readable, study.series().size(), study.warnings(),
          skipped, chosenFiles, all.size() - lost, from);
    }
  }

  /**
   * The sagittal T2 among the series not yet found undecodable.
   *
   * @throws InvalidInputException when none is left
   */
  private static SagittalT2 choose(Study study, Set<Series> undecodable, String firstFailure) {
    if (undecodable.isEmpty()) {
      return StudyAssembler.chooseSagittalT2(study);
    }
    List<Series> left = study.series().stream().filter(s -> !undecodable.contains(s)).toList();
    boolean sagittalLeft = left.stream().anyMatch(s -> s.orientation() == Orientation.SAGITTAL);
    if (!sagittalLeft) {
      throw new InvalidInputException(study.series().size() == 1 && study.series().get(0).size() == 1
          ? "not a readable DICOM image (" + firstFailure + ")"
          : "no sagittal series has an image that can be decoded (first, " + firstFailure + ")");
    }
    return StudyAssembler.chooseSagittalT2(new Study(left, study.warnings()));
  }
}
