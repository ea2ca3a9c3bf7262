package io.spoils.gateway.tooling.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spoils.feature.InvalidInputException;
import io.spoils.feature.geometry.GeometryOptions;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.ImageFiles;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelSpacing;
import io.spoils.feature.levels.LevelLabeller;
import io.spoils.feature.levels.LevelledDisc;
import io.spoils.feature.levels.LevelledVertebra;
import io.spoils.feature.levels.Region;
import io.spoils.feature.levels.SpineLevels;
import io.spoils.gateway.cli.MeasureCommand;
import io.spoils.gateway.cli.VersionProvider;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spoils label-levels}: the level naming of a batch of semantic maps, for the Python
 * evaluation. The CSV names each map (relative to the masks folder) and its pixel spacing
 * ({@code file,row_mm,col_mm}, a header line first, no quoted fields). Each map is an 8-bit PNG
 * with the SPIDER-scheme values of segmentation contract v2 (0, 29 disc, 31 lumbosacral disc, 76
 * vertebra, 150 canal). One JSON line per map, in CSV order:
 * {@code {"file", "discs": [{"level", "centroid_row", "centroid_col", "area_mm2", "lumbosacral"}],
 * "vertebrae": [{"level", "centroid_row", "centroid_col"}], "warnings": [codes]}}, lowest first;
 * {@code level} is a name such as {@code L5-S1}, {@code T11-T12} or {@code S1}, or null for a disc
 * the fit left unnamed (below L5-S1); centroids in pixels. A map that cannot be read or labelled
 * gets {@code {"file", "error"}} with the reason and the batch goes on; the exit code is 0 once the
 * CSV is read, 2 when it cannot be.
 */
@Command(
    name = "label-levels",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Name the disc and vertebra levels of a batch of semantic maps (JSON lines).")
public final class LabelLevelsCommand implements Callable<Integer> {
  private static final int[] VALUES = {0, 29, 31, 76, 150};

  @Spec
  private CommandSpec spec;

  @Option(names = "--masks", required = true, paramLabel = "DIR",
      description = "Folder the CSV's file names are relative to.")
  private Path masks;

  @Option(names = "--spacing-csv", required = true, paramLabel = "FILE",
      description = "CSV with columns file,row_mm,col_mm (pixel spacing in mm, row first).")
  private Path spacingCsv;

  @Override
  public Integer call() throws JsonProcessingException {
    List<String[]> rows = readCsv(spacingCsv);
    GeometryOptions o = GeometryOptions.defaults();
    LevelLabeller labeller = new LevelLabeller(o.minComponentAreaMm2(), o.posteriorMarginMm(),
        o.canalSearchMm());
    ObjectMapper json = new ObjectMapper();
    PrintWriter out = spec.commandLine().getOut();
    for (String[] row : rows) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("file", row[0]);
      try {
        line.putAll(levels(labeller.label(readMap(row))));
      } catch (InvalidInputException | IllegalArgumentException e) {
        line.put("error", e.getMessage());
      } catch (RuntimeException e) {
        line.put("error", "internal error (" + e.getClass().getSimpleName() + ")");
      }
      out.println(json.writeValueAsString(line));
    }
    out.flush();
    return 0;
  }

  /** The rows {file, row_mm, col_mm} of the CSV, in its order. */
  private static List<String[]> readCsv(Path csv) {
    List<String> lines;
    try {
      lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidInputException("cannot read the spacing CSV ("
          + e.getClass().getSimpleName() + ")", e);
    }
    if (lines.isEmpty()) {
      throw new InvalidInputException("the spacing CSV is empty");
    }
    List<String> header = Arrays.stream(lines.get(0).split(",", -1)).map(String::trim).toList();
    int[] at = {header.indexOf("file"), header.indexOf("row_mm"), header.indexOf("col_mm")};
    if (Arrays.stream(at).anyMatch(i -> i < 0)) {
      throw new InvalidInputException("the spacing CSV needs the columns file,row_mm,col_mm");
    }
    List<String[]> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",", -1);
      if (f.length != header.size()) {
        throw new InvalidInputException("spacing CSV line " + (rows.size() + 2) + " has "
            + f.length + " fields where the header has " + header.size());
      }
      rows.add(new String[] {f[at[0]].trim(), f[at[1]].trim(), f[at[2]].trim()});
    }
    return rows;
  }

  /** The semantic map of one CSV row, checked to hold only contract v2 values. */
  private LabelMap readMap(String[] row) {
    PixelSpacing spacing = MeasureCommand.parseSpacing(row[1] + "," + row[2]);
    Path file = masks.resolve(row[0]).normalize();
    if (!file.startsWith(masks.normalize())) {
      throw new InvalidInputException("file is outside the masks folder");
    }
    GreyImage grey = ImageFiles.readGrey(file, spacing);
    byte[] labels = new byte[grey.pixels().length];
    for (int i = 0; i < labels.length; i++) {
      float v = grey.pixels()[i];
      if (Arrays.binarySearch(VALUES, (int) v) < 0 || v != (int) v) {
        throw new InvalidInputException("mask contains value " + (v == (long) v ? "" + (long) v
            : "" + v) + ", which is not a semantic map value (0, 29, 31, 76, 150)");
      }
      labels[i] = (byte) (int) v;
    }
    return new LabelMap(grey.width(), grey.height(), labels, spacing, LabelMap.Scheme.SPIDER);
  }

  private static Map<String, Object> levels(SpineLevels levels) {
    List<Map<String, Object>> discs = new ArrayList<>();
    // lowest first: the unnamed discs lie below L5-S1
    for (Region r : levels.unnamedDiscs()) {
      discs.add(disc(null, r, false));
    }
    for (LevelledDisc d : levels.discs()) {
      discs.add(disc(d.levelName(), d.region(), d.lumbosacral()));
    }
    List<Map<String, Object>> vertebrae = new ArrayList<>();
    for (LevelledVertebra v : levels.vertebrae()) {
      vertebrae.add(centroid(v.levelName(), v.body()));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("discs", discs);
    out.put("vertebrae", vertebrae);
    out.put("warnings", levels.warnings().stream().map(w -> w.substring(0, w.indexOf(':')))
        .toList());
    return out;
  }

  private static Map<String, Object> disc(String level, Region region, boolean lumbosacral) {
    Map<String, Object> m = centroid(level, region);
    m.put("area_mm2", region.areaMm2());
    m.put("lumbosacral", lumbosacral);
    return m;
  }

  private static Map<String, Object> centroid(String level, Region region) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("level", level);
    m.put("centroid_row", region.centroidY());
    m.put("centroid_col", region.centroidX());
    return m;
  }
}
