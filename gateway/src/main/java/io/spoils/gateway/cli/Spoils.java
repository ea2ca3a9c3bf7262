package io.spoils.gateway.cli;

import io.spoils.feature.InvalidInputException;
import java.io.PrintWriter;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one executable entry point ({@code bin/spoils}). Exit codes: 0 success, 2 bad input (one line
 * on stderr naming the reason), 1 anything else (one line; the stack trace only with
 * {@code SPOILS_DEBUG=1}). No throwable escapes {@link #run}: an {@link OutOfMemoryError} or
 * {@link StackOverflowError} (input too large or too deeply nested for the JVM's limits) is bad
 * input too, and so is a port that cannot be bound (a setting), each reported in one line with
 * exit code 2; messages name the reason, never a Java class.
 */
@Command(
    name = "spoils",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "SPOILS: lumbar spine MRI to per-disc measurements, grades and a treatment "
        + "stratum. Decision support for clinicians, never a diagnosis.",
    subcommands = {AnalyzeCommand.class, MeasureCommand.class, DicomInfoCommand.class,
        ServeCommand.class})
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
    return run(commandLine(), args, out, err);
  }

  /**
   * The command line of every {@link Spoils} command, plus those of each {@link CommandSource} on
   * the class path (the tools jar's training and evaluation commands, where it is there).
   */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Spoils());
    ClassLoader loader = Spoils.class.getClassLoader();
    for (CommandSource source : ServiceLoader.load(CommandSource.class, loader)) {
      source.commands().forEach(cli::addSubcommand);
    }
    return cli;
  }

  /** Runs {@code cli} (the commands of {@link Spoils}, perhaps more) as the public {@code run}. */
  static int run(CommandLine cli, String[] args, PrintWriter out, PrintWriter err) {
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler((ex, a) -> {
      err.println("spoils: " + ex.getMessage() + " (see --help)");
      return EXIT_BAD_INPUT;
    });
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> report(ex, err));
    try {
      return cli.execute(args);
    } catch (Throwable t) {
      // picocli hands only Exceptions to the handler; Errors (OOM, stack overflow) arrive here
      return report(t, err);
    }
  }

  private static int report(Throwable thrown, PrintWriter err) {
    // picocli wraps an Error thrown by a command in its ExecutionException
    Throwable ex = thrown instanceof CommandLine.ExecutionException && thrown.getCause() != null
        ? thrown.getCause() : thrown;
    if (debug()) {
      ex.printStackTrace(err);
    }
    int code = EXIT_BAD_INPUT;
    String reason;
    if (ex instanceof InvalidInputException) {
      reason = ex.getMessage();
    } else if (ex instanceof OutOfMemoryError) {
      reason = "out of memory: the input needs more memory than this JVM has (its heap is set "
          + "with SPOILS_JAVA_OPTS, e.g. -Xmx2g)";
    } else if (ex instanceof StackOverflowError) {
      reason = "the input is nested too deeply to process (stack overflow)";
    } else if (causedBy(ex, java.net.BindException.class)) {
      reason = "cannot listen on the configured host and port: it is in use or not available "
          + "here (choose another with --port / --host or SPOILS_PORT / SPOILS_HOST)";
    } else {
      code = EXIT_FAILURE;
      reason = "internal error; rerun with SPOILS_DEBUG=1 for details";
    }
    err.println("spoils: " + oneLine(reason));
    err.flush();
    return code;
  }

  private static boolean causedBy(Throwable ex, Class<? extends Throwable> type) {
    for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /** The reason on one line (a message could hold line breaks). */
  private static String oneLine(String reason) {
    return reason == null || reason.isBlank() ? "invalid input"
        : reason.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  private static boolean debug() {
    String v = System.getenv("SPOILS_DEBUG");
    return v != null && (v.equals("1") || Boolean.parseBoolean(v));
  }
}
