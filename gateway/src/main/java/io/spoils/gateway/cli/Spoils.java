package io.spoils.gateway.cli;

import io.spoils.feature.InvalidInputException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one executable entry point ({@code bin/spoils}). Exit codes: 0 success, 2 bad input (one line
 * on stderr naming the reason), 1 anything else (one line; the stack trace only with
 * {@code SPOILS_DEBUG=1}).
 */
@Command(
    name = "spoils",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "SPOILS: lumbar spine MRI to per-disc measurements, grades and a treatment "
        + "stratum. Decision support for clinicians, never a diagnosis.",
    subcommands = {AnalyzeCommand.class, MeasureCommand.class, DicomInfoCommand.class,
        TrainTreesCommand.class, EvaluateGradingCommand.class, ServeCommand.class,
        LabelLevelsCommand.class})
public final class Spoils {
  public static final int EXIT_BAD_INPUT = 2;
  public static final int EXIT_FAILURE = 1;

  private Spoils() {}

  public static void main(String[] args) {
    if (!debug()) {
      // a command's output is its result; progress logging (model loading, ...) only with debug
      java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    }
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the CLI with the given streams and returns the exit code (tests call this). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new Spoils());
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler((ex, a) -> {
      err.println("spoils: " + ex.getMessage() + " (see --help)");
      return EXIT_BAD_INPUT;
    });
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> report(ex, err));
    return cli.execute(args);
  }

  private static int report(Exception ex, PrintWriter err) {
    if (debug()) {
      ex.printStackTrace(err);
    }
    if (ex instanceof InvalidInputException) {
      err.println("spoils: " + ex.getMessage());
      return EXIT_BAD_INPUT;
    }
    err.println("spoils: internal error (" + ex.getClass().getSimpleName() + "); "
        + "rerun with SPOILS_DEBUG=1 for details");
    return EXIT_FAILURE;
  }

  private static boolean debug() {
    String v = System.getenv("SPOILS_DEBUG");
    return v != null && (v.equals("1") || Boolean.parseBoolean(v));
  }
}
