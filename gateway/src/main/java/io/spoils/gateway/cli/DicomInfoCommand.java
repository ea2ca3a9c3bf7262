package io.spoils.gateway.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.spoils.feature.InvalidInputException;
import io.spoils.feature.dicom.DicomReader;
import io.spoils.feature.dicom.DicomSlice;
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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code spoils dicom-info FILE...}: what the DICOM layer understood of each file. Prints no patient
 * data (no names, IDs, UIDs other than the transfer syntax, dates). Exit 0 when every file was read,
 * 2 when any was not (one line per failed file on stderr: {@code FILE: error: REASON}).
 */
@Command(
    name = "dicom-info",
    mixinStandardHelpOptions = true,
    description = "Show what SPOILS reads from DICOM files: modality, plane, pixel spacing, size, "
        + "transfer syntax, series/instance numbers, photometric interpretation, frames. "
        + "No patient data is printed.")
public final class DicomInfoCommand implements Callable<Integer> {

  /** Output formats. */
  enum Format { text, json }

  @Spec
  private CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "DICOM files to inspect")
  private List<Path> files;

  @Option(names = "--format", defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
  private Format format;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DicomReader reader = DicomReader.create();
    List<Map<String, Object>> results = new ArrayList<>();
    boolean failed = false;
    for (Path file : files) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("file", file.toString());
      try {
        describe(reader.read(file), row);
        if (format == Format.text) {
          printBlock(out, row);
        }
      } catch (InvalidInputException e) {
        failed = true;
        row.put("error", e.getMessage());
        err.println(file + ": error: " + e.getMessage());
      }
      results.add(row);
    }
    if (format == Format.json) {
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(results));
    }
    out.flush();
    err.flush();
    return failed ? Spoils.EXIT_BAD_INPUT : 0;
  }

  private static void describe(DicomSlice s, Map<String, Object> row) {
    row.put("modality", s.modality());
    row.put("orientation", s.orientation().name().toLowerCase(Locale.ROOT));
    row.put("rowSpacingMm", s.spacing().rowMm());
    row.put("columnSpacingMm", s.spacing().colMm());
    row.put("rows", s.rows());
    row.put("columns", s.columns());
    row.put("transferSyntaxUid", s.transferSyntaxUid());
    row.put("transferSyntaxName", s.transferSyntaxName());
    row.put("seriesNumber", s.seriesNumber());
    row.put("instanceNumber", s.instanceNumber());
    row.put("photometricInterpretation", s.photometricInterpretation());
    row.put("frames", s.numberOfFrames());
  }

  private static void printBlock(PrintWriter out, Map<String, Object> r) {
    out.println(r.get("file"));
    out.println("  modality:          " + orDash(r.get("modality")));
    out.println("  orientation:       " + r.get("orientation"));
    out.println("  pixel spacing:     " + r.get("rowSpacingMm") + " mm (row) x " + r.get("columnSpacingMm")
        + " mm (column)");
    out.println("  size:              " + r.get("rows") + " rows x " + r.get("columns") + " columns");
    out.println("  transfer syntax:   " + r.get("transferSyntaxName") + " (" + r.get("transferSyntaxUid") + ")");
    out.println("  series number:     " + orDash(r.get("seriesNumber")));
    out.println("  instance number:   " + orDash(r.get("instanceNumber")));
    out.println("  photometric:       " + r.get("photometricInterpretation"));
    out.println("  frames:            " + r.get("frames"));
  }

  private static String orDash(Object v) {
    return v == null || v.toString().isEmpty() ? "-" : v.toString();
  }
}
