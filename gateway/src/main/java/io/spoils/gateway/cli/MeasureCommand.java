package io.spoils.gateway.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.spoils.feature.InvalidInputException;
import io.spoils.feature.geometry.DiscGeometry;
import io.spoils.feature.geometry.SpineGeometry;
import io.spoils.feature.geometry.SpineMeasurer;
import io.spoils.feature.geometry.VertebraGeometry;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.ImageFiles;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelSpacing;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spoils measure}: geometry of every disc and vertebral body in a mask PNG (SPIDER or
 * 14-class), optionally with the image for signal features. JSON keys carry their units; values
 * that could not be measured are {@code null}.
 */
@Command(
    name = "measure",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Measure discs and vertebral bodies on one sagittal slice from its label mask.")
public final class MeasureCommand implements Callable<Integer> {
  /** Output formats. */
  public enum Format { json, table }

  @Spec
  private CommandSpec spec;

  @Option(names = "--mask", required = true, paramLabel = "MASK.png",
      description = "Label mask PNG: SPIDER values (0, 29, 76, 150; 31 = lumbosacral disc) or 14-class ids (0-13).")
  private Path mask;

  @Option(names = "--spacing", required = true, paramLabel = "ROW_MM,COL_MM",
      description = "Pixel spacing in mm, row (vertical) first, as in DICOM PixelSpacing.")
  private String spacing;

  @Option(names = "--image", paramLabel = "IMAGE.png",
      description = "Greyscale image PNG of the same size, for the signal features.")
  private Path image;

  @Option(names = "--format", defaultValue = "json", paramLabel = "json|table",
      description = "Output format: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  private Format format;

  @Override
  public Integer call() throws JsonProcessingException {
    PixelSpacing pixelSpacing = parseSpacing(spacing);
    LabelMap labels = ImageFiles.readMask(mask, pixelSpacing);
    GreyImage grey = image == null ? null : ImageFiles.readGrey(image, pixelSpacing);
    SpineGeometry geometry = SpineMeasurer.standard().measure(labels, grey);
    PrintWriter out = spec.commandLine().getOut();
    if (format == Format.table) {
      out.print(table(geometry));
    } else {
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(json(labels, geometry)));
    }
    out.flush();
    return 0;
  }

  /** Parses {@code ROW_MM,COL_MM}; both positive and finite. */
  public static PixelSpacing parseSpacing(String text) {
    String[] parts = text.split(",", -1);
    if (parts.length != 2) {
      throw new InvalidInputException("--spacing must be ROW_MM,COL_MM, e.g. 0.46875,0.46875");
    }
    try {
      double row = Double.parseDouble(parts[0].trim());
      double col = Double.parseDouble(parts[1].trim());
      if (!(row > 0) || !(col > 0) || Double.isInfinite(row) || Double.isInfinite(col)) {
        throw new InvalidInputException("--spacing values must be positive and finite");
      }
      return new PixelSpacing(row, col);
    } catch (NumberFormatException e) {
      throw new InvalidInputException("--spacing must be two numbers ROW_MM,COL_MM");
    }
  }

  private static Map<String, Object> json(LabelMap labels, SpineGeometry g) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("scheme", labels.scheme().name());
    root.put("pixelSpacingMm", Map.of("row", labels.spacing().rowMm(),
        "col", labels.spacing().colMm()));
    List<Map<String, Object>> discs = new ArrayList<>();
    for (DiscGeometry d : g.discs()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("level", d.level().displayName());
      m.put("indexFromBottom", d.indexFromBottom());
      m.put("centroidXPx", num(d.centroidX()));
      m.put("centroidYPx", num(d.centroidY()));
      m.put("tiltDeg", num(d.tiltDeg()));
      m.put("anteriorHeightMm", num(d.anteriorHeightMm()));
      m.put("centralHeightMm", num(d.centralHeightMm()));
      m.put("posteriorHeightMm", num(d.posteriorHeightMm()));
      m.put("averageHeightMm", num(d.averageHeightMm()));
      m.put("averageWidthMm", num(d.averageWidthMm()));
      m.put("midWidthMm", num(d.midWidthMm()));
      m.put("areaMm2", num(d.areaMm2()));
      m.put("heightIndex", num(d.heightIndex()));
      m.put("signalMean", num(d.signalMean()));
      m.put("signalRatioToCsf", num(d.signalRatioToCsf()));
      m.put("signalRatioToVertebra", num(d.signalRatioToVertebra()));
      m.put("signalDiffToNeighbours", num(d.signalDiffToNeighbours()));
      m.put("canalApDiameterMm", num(d.canalApDiameterMm()));
      m.put("volumeMm3", num(d.volumeMm3()));
      discs.add(m);
    }
    List<Map<String, Object>> vertebrae = new ArrayList<>();
    for (VertebraGeometry v : g.vertebrae()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("level", v.level().displayName());
      m.put("indexFromBottom", v.indexFromBottom());
      m.put("centroidXPx", num(v.centroidX()));
      m.put("centroidYPx", num(v.centroidY()));
      m.put("heightMm", num(v.heightMm()));
      m.put("widthMm", num(v.widthMm()));
      m.put("areaMm2", num(v.areaMm2()));
      vertebrae.add(m);
    }
    root.put("discs", discs);
    root.put("vertebrae", vertebrae);
    root.put("warnings", g.warnings());
    return root;
  }

  /** NaN and infinities become JSON null; finite values are rounded to 4 decimals. */
  private static Double num(double v) {
    return Double.isFinite(v) ? Math.round(v * 1e4) / 1e4 : null;
  }

  private static String table(SpineGeometry g) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-9s %6s %6s %6s %6s %6s %6s %6s %7s %5s %6s %6s%n",
        "disc", "tilt°", "antH", "cenH", "postH", "avgH", "avgW", "midW", "areaMm2", "DHI",
        "canal", "s/CSF"));
    for (DiscGeometry d : g.discs()) {
      sb.append(String.format(Locale.ROOT,
          "%-9s %6s %6s %6s %6s %6s %6s %6s %7s %5s %6s %6s%n", d.level().displayName(),
          f1(d.tiltDeg()), f2(d.anteriorHeightMm()), f2(d.centralHeightMm()),
          f2(d.posteriorHeightMm()), f2(d.averageHeightMm()), f2(d.averageWidthMm()),
          f2(d.midWidthMm()), f1(d.areaMm2()), f2(d.heightIndex()), f2(d.canalApDiameterMm()),
          f2(d.signalRatioToCsf())));
    }
    sb.append("(lengths mm; DHI = average disc height / mean adjacent vertebral body height)")
        .append(System.lineSeparator());
    sb.append(String.format(Locale.ROOT, "%-9s %7s %7s %8s%n", "vertebra", "heightMm", "widthMm",
        "areaMm2"));
    for (VertebraGeometry v : g.vertebrae()) {
      sb.append(String.format(Locale.ROOT, "%-9s %7s %7s %8s%n", v.level().displayName(),
          f2(v.heightMm()), f2(v.widthMm()), f1(v.areaMm2())));
    }
    for (String w : g.warnings()) {
      sb.append("warning: ").append(w).append(System.lineSeparator());
    }
    return sb.toString();
  }

  private static String f1(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f", v) : "-";
  }

  private static String f2(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f", v) : "-";
  }
}
