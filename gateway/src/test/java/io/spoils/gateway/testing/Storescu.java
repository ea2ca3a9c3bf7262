package io.spoils.gateway.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** dcmtk's {@code storescu}, a DICOM client the project did not write, run from the tests. */
public final class Storescu {
  /** Where Debian's dcmtk installs it (bin/setup installs dcmtk). */
  public static final Path PATH = Path.of("/usr/bin/storescu");

  private Storescu() { }

  /** Whether storescu is installed; tests skip without it. */
  public static boolean installed() {
    return Files.isExecutable(PATH);
  }

  /**
   * Runs storescu with {@code args}, bounded at 60 s (the test fails beyond): its exit code and
   * output (stdout and stderr together, also left in {@code log}).
   */
  public static Map.Entry<Integer, String> run(Path log, List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(PATH.toString()));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
        .start();
    try {
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "storescu did not finish");
      return Map.entry(p.exitValue(), Files.readString(log));
    } finally {
      p.destroyForcibly();
    }
  }
}
