package io.spoils.bench;

import io.spoils.gateway.pipeline.AnalysisPipeline;
import io.spoils.gateway.pipeline.AnalysisRequest;
import io.spoils.gateway.pipeline.PipelineEvent;
import io.spoils.gateway.pipeline.PipelineSink;
import io.spoils.gateway.pipeline.Stage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The issue's series aim as a ratio taken in pairs: a one-slice study (the bundled example) and a
 * 15-slice series built from it ({@link SeriesEndToEndBenchmark#files}) analysed back to back on
 * one pipeline ({@link StudyBench}), the order within each pair drawn at random, in several JVMs
 * one after the other (forks, as JMH's: each JVM compiles the code a little differently); the
 * ratio of the medians with a bootstrap interval over the pairs ({@link PairedRatio}, one stratum
 * per fork). {@link SeriesEndToEndBenchmark} times the two studies in separate forks, a minute or
 * more apart, each study repeated back to back, so a change of the machine's load between the
 * forks moves its ratio; here a change moves both sides of a pair alike.
 *
 * <p>Usage (from the repository root): {@code java -cp "load-tests/target/classes:load-tests/target/lib/*"
 * io.spoils.bench.SeriesRatioHarness [--backend embedded|triton] [--forks 3] [--pairs 40]
 * [--warmup 80] [--seed 1] [--json FILE]}: {@code --pairs} and {@code --warmup} per fork. Prints
 * each pair and the result; with {@code --json}, writes the times and the result.
 */
public final class SeriesRatioHarness {

  /** The issue's aim: a 15-slice series costs less than this many one-slice studies. */
  public static final double AIM = 4.0;

  private record Args(String backend, int forks, int pairs, int warmup, long seed, Path json) { }

  private SeriesRatioHarness() {
  }

  public static void main(String[] argv) throws Exception {
    Args args = parse(argv);
    List<JsonObject> forks = new ArrayList<>();
    if (args.forks() == 1) {
      forks.add(fork(args));
    } else {
      for (int k = 0; k < args.forks(); k++) {
        forks.add(child(args, k));
      }
    }
    double[][] slice = new double[forks.size()][];
    double[][] series = new double[forks.size()][];
    JsonObject stages = new JsonObject();
    for (int k = 0; k < forks.size(); k++) {
      slice[k] = times(forks.get(k).getJsonArray("slice_ms"));
      series[k] = times(forks.get(k).getJsonArray("series_ms"));
      JsonObject own = forks.get(k).getJsonObject("series_stage_ms");
      for (String stage : own.fieldNames()) {
        stages.put(stage, stages.getDouble(stage, 0.0) + own.getDouble(stage) / forks.size());
      }
    }
    PairedRatio r = PairedRatio.of(slice, series, args.seed());
    System.out.printf(Locale.ROOT, "%s: %d fork(s) of %d pairs: one slice %.1f ms, series %.1f ms"
        + " (medians): %.2fx, 95 %% interval %.2f-%.2fx, median of the pairs' ratios %.2fx; the "
        + "interval is %s the aim of %.0fx%n", args.backend(), forks.size(), args.pairs(),
        r.medianA(), r.medianB(), r.ratio(), r.low(), r.high(), r.medianPairRatio(),
        r.against(AIM), AIM);
    if (args.json() != null) {
      JsonObject out = new JsonObject().put("backend", args.backend())
          .put("slices", SeriesEndToEndBenchmark.SERIES_SLICES).put("aim", AIM)
          .put("pairs_per_fork", args.pairs()).put("warmup_pairs", args.warmup())
          .put("seed", args.seed()).put("forks", new JsonArray(new ArrayList<>(forks)))
          .put("pairs", r.pairs()).put("median_slice_ms", r.medianA())
          .put("median_series_ms", r.medianB()).put("ratio", r.ratio()).put("low", r.low())
          .put("high", r.high()).put("median_pair_ratio", r.medianPairRatio())
          .put("against_aim", r.against(AIM)).put("series_stage_ms", stages);
      Files.writeString(args.json(), out.encodePrettily() + "\n");
    }
  }

  /** One fork in a new JVM with this one's class path; its times as {@link #fork} gives them. */
  private static JsonObject child(Args args, int k) throws Exception {
    Path json = Files.createTempFile("series-ratio-fork", ".json");
    try {
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
          .toString(), "-cp", System.getProperty("java.class.path"),
          SeriesRatioHarness.class.getName(), "--backend", args.backend(), "--forks", "1",
          "--pairs", Integer.toString(args.pairs()), "--warmup", Integer.toString(args.warmup()),
          "--seed", Long.toString(args.seed() + k + 1), "--json", json.toString())
          .inheritIO().start();
      int rc = p.waitFor();
      if (rc != 0) {
        throw new IllegalStateException("fork " + (k + 1) + " exited with " + rc);
      }
      return new JsonObject(Files.readString(json)).getJsonArray("forks").getJsonObject(0);
    } finally {
      Files.deleteIfExists(json);
    }
  }

  /** Warm-up pairs, then the timed pairs, in this JVM. */
  private static JsonObject fork(Args args) throws Exception {
    AnalysisRequest slice = new AnalysisRequest(SeriesEndToEndBenchmark.files("slice"),
        Optional.empty(), true);
    AnalysisRequest series = new AnalysisRequest(SeriesEndToEndBenchmark.files(
        "series" + SeriesEndToEndBenchmark.SERIES_SLICES), Optional.empty(), true);
    JsonArray sliceMs = new JsonArray();
    JsonArray seriesMs = new JsonArray();
    JsonArray order = new JsonArray();
    double[] stages = new double[Stage.values().length];
    SplittableRandom coin = new SplittableRandom(args.seed());
    try (StudyBench bench = new StudyBench(args.backend(), Path.of("triton-models"), 1,
        "passes")) {
      AnalysisPipeline pipeline = bench.pipeline();
      for (int w = 0; w < args.warmup(); w++) {
        time(pipeline, slice);
        time(pipeline, series);
      }
      for (int p = 0; p < args.pairs(); p++) {
        boolean sliceFirst = coin.nextBoolean();
        Timed first = time(pipeline, sliceFirst ? slice : series);
        Timed second = time(pipeline, sliceFirst ? series : slice);
        Timed one = sliceFirst ? first : second;
        Timed many = sliceFirst ? second : first;
        sliceMs.add(one.ms());
        seriesMs.add(many.ms());
        order.add(sliceFirst ? "slice" : "series");
        many.summary().timings().forEach((stage, d) -> stages[stage.ordinal()] +=
            d.toNanos() / 1e6 / args.pairs());
        System.out.printf(Locale.ROOT, "pair %2d (%s first): one slice %.1f ms, series %.1f ms, "
            + "%.2fx%n", p, sliceFirst ? "slice" : "series", one.ms(), many.ms(),
            many.ms() / one.ms());
      }
    }
    JsonObject stageMs = new JsonObject();
    for (Stage stage : Stage.values()) {
      stageMs.put(stage.name().toLowerCase(Locale.ROOT), stages[stage.ordinal()]);
    }
    PairedRatio r = PairedRatio.of(times(sliceMs), times(seriesMs), args.seed());
    JsonObject fork = new JsonObject().put("seed", args.seed()).put("first", order)
        .put("slice_ms", sliceMs).put("series_ms", seriesMs).put("ratio", r.ratio())
        .put("low", r.low()).put("high", r.high()).put("series_stage_ms", stageMs);
    System.out.printf(Locale.ROOT, "fork: one slice %.1f ms, series %.1f ms: %.2fx (%.2f-%.2fx)%n",
        r.medianA(), r.medianB(), r.ratio(), r.low(), r.high());
    return fork;
  }

  private record Timed(double ms, PipelineEvent.Summary summary) { }

  private static Timed time(AnalysisPipeline pipeline, AnalysisRequest request) throws Exception {
    long t0 = System.nanoTime();
    PipelineEvent.Summary s = StudyBench.await(pipeline.analyze(request,
        PipelineSink.discard()));
    return new Timed((System.nanoTime() - t0) / 1e6, s);
  }

  private static double[] times(JsonArray values) {
    double[] out = new double[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.getDouble(i);
    }
    return out;
  }

  private static Args parse(String[] argv) {
    String backend = "embedded";
    int forks = 3;
    int pairs = 40;
    int warmup = 80;
    long seed = 1;
    Path json = null;
    for (int i = 0; i < argv.length; i += 2) {
      if (i + 1 >= argv.length) {
        usage("missing value after " + argv[i]);
      }
      String value = argv[i + 1];
      switch (argv[i]) {
        case "--backend" -> backend = value;
        case "--forks" -> forks = Integer.parseInt(value);
        case "--pairs" -> pairs = Integer.parseInt(value);
        case "--warmup" -> warmup = Integer.parseInt(value);
        case "--seed" -> seed = Long.parseLong(value);
        case "--json" -> json = Path.of(value);
        default -> usage("unknown option " + argv[i]);
      }
    }
    if (forks < 1 || pairs < 2 || warmup < 0) {
      usage("--forks must be >= 1, --pairs >= 2 and --warmup >= 0");
    }
    return new Args(backend, forks, pairs, warmup, seed, json);
  }

  private static void usage(String why) {
    System.err.println("SeriesRatioHarness: " + why + "\nusage: SeriesRatioHarness [--backend "
        + "embedded|triton] [--forks N] [--pairs N] [--warmup N] [--seed N] [--json FILE]");
    System.exit(2);
  }
}
