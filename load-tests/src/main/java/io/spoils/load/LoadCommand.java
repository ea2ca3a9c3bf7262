package io.spoils.load;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spoils load}: drives a running SPOILS server through its public API and reports
 * throughput, latency percentiles, time to the first disc, errors by status code, rejections, and the
 * server's per-stage timings; writes report.json, report.html and report.png into {@code --out}.
 * Exit codes: 0 when at least one request succeeded, 1 when none did (the reports are still
 * written), 2 for bad arguments. Ctrl-C stops the run and writes a partial report.
 */
@Command(name = "spoils load",
    description = "Load-test a SPOILS server (gRPC Analyze or HTTP POST /v1/analyses).")
public final class LoadCommand implements Callable<Integer> {

  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  private boolean help;
  @Option(names = "--target", required = true, paramLabel = "HOST:PORT", description = "Server.")
  private String target;
  @Option(names = "--concurrency", defaultValue = "1", paramLabel = "N",
      description = "Closed model: workers. Open model: most requests in flight. Default 1.")
  private int concurrency;
  @Option(names = "--duration", paramLabel = "D", description = "Measured time, e.g. 30s, 2m.")
  private String duration;
  @Option(names = "--requests", paramLabel = "N", description = "Measured requests.")
  private Long requests;
  @Option(names = "--rate", paramLabel = "R",
      description = "Open model: requests started per second (constant arrival).")
  private Double rate;
  @Option(names = "--protocol", defaultValue = "grpc", paramLabel = "grpc|http")
  private String protocol;
  @Option(names = "--warmup", defaultValue = "0s", paramLabel = "D",
      description = "Load sent before measuring, not recorded. Default 0s.")
  private String warmup;
  @Option(names = "--timeout", defaultValue = "60s", paramLabel = "D",
      description = "Deadline of one request. Default 60s.")
  private String timeout;
  @Option(names = "--odi", paramLabel = "X", description = "ODI (0-100) sent with each study.")
  private Double odi;
  @Option(names = "--nrs", paramLabel = "Y", description = "NRS (0-10) sent with each study.")
  private Integer nrs;
  @Option(names = "--out", paramLabel = "DIR",
      description = "Report folder. Default: spoils-load-<date-time>.")
  private Path out;
  @Option(names = "--format", defaultValue = "table", paramLabel = "table|json",
      description = "What goes to stdout. Default table.")
  private String format;
  @Parameters(arity = "1..*", paramLabel = "STUDY", description = "DICOM file or study folder.")
  private List<Path> studies;

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(new CommandLine(new LoadCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = new PrintWriter(System.out, true);
    LoadOptions options;
    try {
      options = options();
      if (!format.equals("table") && !format.equals("json")) {
        throw new IllegalArgumentException("--format must be table or json");
      }
    } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
      System.err.println("spoils load: " + e.getMessage());
      return 2;
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    CountDownLatch reported = new CountDownLatch(1);
    AtomicReference<LoadDriver> driver = new AtomicReference<>();
    Thread hook = stopHook(driver, reported);
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      LoadReport report = run(vertx, options, driver::set);
      ReportFiles.write(report);
      stdout.print(format.equals("json") ? report.toJson().encodePrettily() + "\n"
          : TableReport.render(report) + "\nReports: " + options.out().resolve("report.json")
              + ", report.html, report.png\n");
      stdout.flush();
      return report.recorder().ok.getTotalCount() > 0 ? 0 : 1;
    } finally {
      reported.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C: the hook has just been released and the JVM exits
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** Runs the load and returns its report; {@code started} receives the driver (to stop it). */
  static LoadReport run(Vertx vertx, LoadOptions options, Consumer<LoadDriver> started)
      throws Exception {
    Context context = vertx.getOrCreateContext();
    StudyClient client = options.protocol() == LoadOptions.Protocol.GRPC
        ? new GrpcStudyClient(vertx, options) : new HttpStudyClient(vertx, options);
    LoadDriver driver = new LoadDriver(vertx, context, options, client);
    started.accept(driver);
    LoadDriver.Result result = driver.run().toCompletionStage().toCompletableFuture().get();
    client.close();
    return new LoadReport(options, result);
  }

  /**
   * A shutdown hook for Ctrl-C (SIGINT/SIGTERM) during the run: it stops the driver and holds the
   * JVM's exit until {@code reported} is counted down, so the partial report is still written and
   * printed.
   */
  private static Thread stopHook(AtomicReference<LoadDriver> driver, CountDownLatch reported) {
    return new Thread(() -> {
      LoadDriver d = driver.get();
      if (d != null) {
        d.stop();
      }
      try {
        reported.await(LoadDriver.STOP_GRACE.toSeconds() + 30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "spoils-load-stop");
  }

  private LoadOptions options() {
    int colon = target.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("--target must be HOST:PORT");
    }
    int port;
    try {
      port = Integer.parseInt(target.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--target port must be a number");
    }
    LoadOptions.Protocol proto = switch (protocol.toLowerCase(Locale.ROOT)) {
      case "grpc" -> LoadOptions.Protocol.GRPC;
      case "http" -> LoadOptions.Protocol.HTTP;
      default -> throw new IllegalArgumentException("--protocol must be grpc or http");
    };
    Path folder = out != null ? out : Path.of("spoils-load-"
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    return new LoadOptions(target.substring(0, colon), port, proto, concurrency,
        duration == null ? Duration.ZERO : duration("--duration", duration),
        requests == null ? OptionalLong.empty() : OptionalLong.of(requests),
        rate == null ? OptionalDouble.empty() : OptionalDouble.of(rate),
        duration("--warmup", warmup), duration("--timeout", timeout),
        odi == null ? OptionalDouble.empty() : OptionalDouble.of(odi),
        nrs == null ? OptionalInt.empty() : OptionalInt.of(nrs), folder,
        studies.stream().map(Study::read).toList());
  }

  /** {@code 250ms}, {@code 30s}, {@code 2m}, {@code 1h}, or plain seconds ({@code 1.5}). */
  static Duration duration(String option, String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(option + " must look like 250ms, 30s, 2m or 1h");
    }
    double v = Double.parseDouble(m.group(1));
    double unitMs = switch (m.group(2) == null ? "s" : m.group(2)) {
      case "ms" -> 1;
      case "m" -> 60_000;
      case "h" -> 3_600_000;
      default -> 1000;
    };
    return Duration.ofMillis(Math.round(v * unitMs));
  }
}
