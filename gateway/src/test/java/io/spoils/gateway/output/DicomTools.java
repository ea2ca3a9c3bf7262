package io.spoils.gateway.output;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs Debian's DICOM checkers on a file: dicom3tools' {@code dciodvfy} and DCMTK's
 * {@code dsrdump} and {@code dcmdump}. A test that needs one is skipped, with a message, where the
 * tool is not installed ({@code bin/setup} installs dicom3tools and dcmtk).
 */
public final class DicomTools {

  /** Exit code and output (stdout and stderr together). */
  public record Run(int code, String output) {
    /** The lines dciodvfy reports as errors. */
    public List<String> errors() {
      return output.lines().filter(l -> l.startsWith("Error")).toList();
    }
  }

  private DicomTools() {
  }

  /** Runs {@code tool file}, skipping the test when the tool is absent. */
  public static Run run(String tool, Path file) throws IOException, InterruptedException {
    Assumptions.assumeTrue(installed(tool), tool + " is not installed (apt-get install "
        + (tool.equals("dciodvfy") ? "dicom3tools" : "dcmtk") + "; bin/setup does)");
    Process p = new ProcessBuilder(tool, file.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(tool + " did not finish in 60 s");
    }
    return new Run(p.exitValue(), out);
  }

  private static boolean installed(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }
}
