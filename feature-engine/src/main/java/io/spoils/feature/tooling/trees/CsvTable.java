package io.spoils.feature.tooling.trees;

import io.spoils.feature.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain comma-separated file with a header row and no quoting, as the SPIDER subset's CSVs are.
 * Values are looked up by column name; parse errors name the file and column, never the value's
 * row content.
 */
public final class CsvTable {
  private final String fileName;
  private final Map<String, Integer> columns = new HashMap<>();
  private final List<String[]> rows = new ArrayList<>();

  private CsvTable(String fileName) {
    this.fileName = fileName;
  }

  /** Reads {@code file}, requiring the given columns. */
  public static CsvTable read(Path file, String... required) {
    String name = file.getFileName().toString();
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException("data directory has no " + name);
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + name, e);
    }
    if (lines.isEmpty()) {
      throw new InvalidInputException(name + " is empty");
    }
    CsvTable table = new CsvTable(name);
    String[] header = lines.get(0).strip().split(",", -1);
    for (int i = 0; i < header.length; i++) {
      table.columns.put(header[i].strip(), i);
    }
    for (String column : required) {
      if (!table.columns.containsKey(column)) {
        throw new InvalidInputException(name + " has no column '" + column + "'");
      }
    }
    for (String line : lines.subList(1, lines.size())) {
      if (!line.isBlank()) {
        table.rows.add(line.strip().split(",", -1));
      }
    }
    return table;
  }

  /** Data rows (the header excluded). */
  public int size() {
    return rows.size();
  }

  /** The stripped text of a cell. */
  public String text(int row, String column) {
    String[] cells = rows.get(row);
    int index = columns.get(column);
    if (index >= cells.length) {
      throw new InvalidInputException(fileName + " row " + (row + 2) + " has no '" + column + "'");
    }
    return cells[index].strip();
  }

  /** A cell as an integer. */
  public int integer(int row, String column) {
    try {
      return Integer.parseInt(text(row, column));
    } catch (NumberFormatException e) {
      throw new InvalidInputException(fileName + " row " + (row + 2) + ": '" + column
          + "' is not an integer");
    }
  }

  /** A cell as a number. */
  public double number(int row, String column) {
    try {
      return Double.parseDouble(text(row, column));
    } catch (NumberFormatException e) {
      throw new InvalidInputException(fileName + " row " + (row + 2) + ": '" + column
          + "' is not a number");
    }
  }
}
