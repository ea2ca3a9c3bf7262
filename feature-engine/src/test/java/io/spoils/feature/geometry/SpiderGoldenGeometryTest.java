package io.spoils.feature.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.ImageFiles;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelSpacing;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pins the level labelling and geometry of all 396 real SPIDER slices (masks and images, system
 * property {@code spoils.data.spider}; skipped without it) to the outputs of the implementation
 * before the performance work (commit 40c52a5, recorded in {@value #GOLDEN}): every disc and
 * vertebra field and every warning. Integers, levels and warnings must be equal; measurements equal
 * within {@value #RELATIVE} relative (or {@value #ABSOLUTE} absolute), NaN where it was NaN. The
 * faster code sums the same samples in another order (whole pixels at once), which moves the last
 * bits only.
 *
 * <p>Regenerate (only after a deliberate change of the algorithms, and say so in the commit):
 * {@code mvn -pl feature-engine test -Dtest=SpiderGoldenGeometryTest
 * -Dspoils.golden.write=$PWD/feature-engine/src/test/resources/golden/spider-geometry.tsv.gz}.
 */
class SpiderGoldenGeometryTest {
  static final String GOLDEN = "/golden/spider-geometry.tsv.gz";
  static final double RELATIVE = 1e-9;
  static final double ABSOLUTE = 1e-9;
  private static final PixelSpacing SPACING = new PixelSpacing(0.46875, 0.46875);
  private static Path root;

  @BeforeAll
  static void locate() {
    String dir = System.getProperty("spoils.data.spider");
    root = dir == null ? null : Path.of(dir);
    Assumptions.assumeTrue(root != null && Files.isDirectory(root.resolve("masks")),
        "SPIDER data not available (system property spoils.data.spider): golden test skipped");
  }

  @Test
  void measure_allSpiderSlices_equalsGolden() throws IOException {
    Map<String, List<String>> now = measureAll();
    String write = System.getProperty("spoils.golden.write");
    if (write != null && !write.isBlank()) {
      writeGolden(Path.of(write), now);
      return;
    }
    Map<String, List<String>> golden = readGolden();
    assertEquals(golden.keySet(), now.keySet(), "slices");
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : golden.entrySet()) {
      compare(e.getKey(), e.getValue(), now.get(e.getKey()), problems);
    }
    assertTrue(problems.isEmpty(), problems.size() + " differences:\n"
        + String.join("\n", problems.subList(0, Math.min(40, problems.size()))));
  }

  private static Map<String, List<String>> measureAll() throws IOException {
    SpineMeasurer measurer = SpineMeasurer.standard();
    Map<String, List<String>> out = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(root.resolve("slices.csv"));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      String name = String.format("%03d_slice%02d.png", Integer.parseInt(f[0]),
          Integer.parseInt(f[1]));
      LabelMap mask = ImageFiles.readMask(root.resolve("masks").resolve(name), SPACING);
      GreyImage image = ImageFiles.readGrey(root.resolve("images").resolve(name), SPACING);
      out.put(name, rows(measurer.measure(mask, image)));
    }
    return out;
  }

  /** One line per disc, vertebra and warning: kind, then the record's components. */
  static List<String> rows(SpineGeometry g) {
    List<String> rows = new ArrayList<>();
    g.discs().forEach(d -> rows.add("disc\t" + fields(d)));
    g.vertebrae().forEach(v -> rows.add("vertebra\t" + fields(v)));
    g.warnings().forEach(w -> rows.add("warning\t" + w.replace('\t', ' ')));
    return rows;
  }

  private static String fields(Record r) {
    StringBuilder b = new StringBuilder();
    for (RecordComponent c : r.getClass().getRecordComponents()) {
      try {
        b.append(b.length() == 0 ? "" : "\t").append(c.getAccessor().invoke(r));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return b.toString();
  }

  private static void compare(String slice, List<String> want, List<String> got,
      List<String> problems) {
    if (want.size() != got.size()) {
      problems.add(slice + ": " + got.size() + " rows, golden " + want.size());
      return;
    }
    for (int i = 0; i < want.size(); i++) {
      String[] a = want.get(i).split("\t", -1);
      String[] b = got.get(i).split("\t", -1);
      if (a.length != b.length || !a[0].equals(b[0])) {
        problems.add(slice + " row " + i + ": " + got.get(i) + " vs golden " + want.get(i));
        continue;
      }
      for (int k = 1; k < a.length; k++) {
        if (!same(a[k], b[k])) {
          problems.add(slice + " row " + i + " field " + k + ": " + b[k] + " vs golden " + a[k]
              + " (" + a[0] + " " + a[1] + ")");
        }
      }
    }
  }

  /** Equal text, or both numbers with a decimal point equal within the tolerance. */
  static boolean same(String golden, String now) {
    if (golden.equals(now)) {
      return true;
    }
    if (!golden.contains(".") || !now.contains(".")) {
      return false;
    }
    try {
      double a = Double.parseDouble(golden);
      double b = Double.parseDouble(now);
      return Math.abs(a - b) <= Math.max(ABSOLUTE, RELATIVE * Math.max(Math.abs(a), Math.abs(b)));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static Map<String, List<String>> readGolden() throws IOException {
    InputStream in = SpiderGoldenGeometryTest.class.getResourceAsStream(GOLDEN);
    assertNotNull(in, "golden file " + GOLDEN + " missing from the test resources");
    Map<String, List<String>> out = new LinkedHashMap<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        int tab = line.indexOf('\t');
        out.computeIfAbsent(line.substring(0, tab), k -> new ArrayList<>())
            .add(line.substring(tab + 1));
      }
    }
    return out;
  }

  private static void writeGolden(Path file, Map<String, List<String>> rows) throws IOException {
    Files.createDirectories(file.getParent());
    try (OutputStream raw = Files.newOutputStream(file);
        PrintWriter w = new PrintWriter(new java.io.OutputStreamWriter(new GZIPOutputStream(raw),
            StandardCharsets.UTF_8))) {
      rows.forEach((slice, lines) -> lines.forEach(l -> w.print(slice + "\t" + l + "\n")));
    }
  }
}
