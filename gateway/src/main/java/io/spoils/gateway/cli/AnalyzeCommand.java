package io.spoils.gateway.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.spoils.feature.InvalidInputException;
import io.spoils.feature.decision.ClinicalScores;
import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.api.ProtoEvents;
import io.spoils.gateway.backend.BackendException;
import io.spoils.gateway.backend.ModelRepository;
import io.spoils.gateway.backend.ModelRepositoryException;
import io.spoils.gateway.backend.OnnxRuntimeBackend;
import io.spoils.gateway.backend.OnnxRuntimeOptions;
import io.spoils.gateway.pipeline.AnalysisPipeline;
import io.spoils.gateway.pipeline.AnalysisRequest;
import io.spoils.gateway.pipeline.PipelineEvent;
import io.spoils.gateway.pipeline.PipelineOptions;
import io.spoils.gateway.pipeline.Stage;
import io.spoils.feature.image.ImageFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code spoils analyze}: the whole pipeline in process on the embedded ONNX Runtime backend.
 *
 * <p>Inputs: files and folders; folders are walked recursively and every regular file in them is
 * offered to the DICOM reader. Files that are not readable DICOM images (a DICOMDIR, a report, a
 * stray text file) are skipped with a {@code FILE_SKIPPED} warning; when none is readable, the
 * input is bad (exit 2). Models: {@code --models DIR}, else {@code triton-models} in the working
 * directory or above it, else the one beside the jar's repository checkout.
 */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Analyse a sagittal T2 lumbar spine MRI study in process: segmentation of every "
        + "slice of the series, the mid-sagittal slice chosen by anatomy, levels, geometry, disc "
        + "volumes, disc grades, treatment stratum. Decision support for clinicians, not a "
        + "diagnosis.")
public final class AnalyzeCommand implements Callable<Integer> {
  /** Output formats. */
  public enum Format { json, table, report }

  /** When disc volumes are computed. */
  public enum Volume { auto, on, off }

  static final String SEMANTIC_PNG = "semantic-spider.png";
  static final String ANATOMY_PNG = "labels-anatomy14.png";

  @Spec
  private CommandSpec spec;

  @Option(names = "--odi", paramLabel = "PERCENT", description = "Oswestry Disability Index, 0-100.")
  private Double odi;

  @Option(names = "--nrs", paramLabel = "N", description = "Pain Numeric Rating Scale, 0-10.")
  private Integer nrs;

  @Option(names = "--format", defaultValue = "table", paramLabel = "json|table|report",
      description = "table (default); json: NDJSON, one spoils.v1.AnalysisEvent per line; "
          + "report: the written per-level report in plain clinical English.")
  private Format format;

  @Option(names = "--mask-out", paramLabel = "DIR",
      description = "Write the 14-class label map (" + ANATOMY_PNG + ") and the SPIDER-scheme "
          + "semantic map (" + SEMANTIC_PNG + ") as PNGs into DIR.")
  private Path maskOut;

  @Option(names = "--sr-out", paramLabel = "DIR",
      description = "Write a DICOM SR (TID 1500 measurement report) of the study as "
          + ClinicalOutputs.SR_FILE + " into DIR.")
  private Path srOut;

  @Option(names = "--seg-out", paramLabel = "DIR",
      description = "Write a DICOM SEG of the measured slice's label map as "
          + ClinicalOutputs.SEG_FILE + " into DIR.")
  private Path segOut;

  @Option(names = "--batch-out", paramLabel = "DIR",
      description = "Batch: group the files by Study Instance UID and analyse each study on its "
          + "own; write DIR/study-NNN/" + BatchRun.EVENTS_FILE + " and " + BatchRun.REPORT_FILE
          + ", and " + BatchCsv.DISCS_FILE + " (every disc) and " + BatchCsv.STUDIES_FILE
          + " (every study's outcome) into DIR. A progress bar shows on a terminal. Exit 1 when "
          + "a study failed.")
  private Path batchOut;

  @Option(names = "--models", paramLabel = "DIR",
      description = "Triton model repository (default: the repository's triton-models folder).")
  private Path models;

  @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS",
      description = "Deadline of the analysis in seconds (default ${DEFAULT-VALUE}).")
  private double timeoutSeconds;

  @Option(names = "--repeat", defaultValue = "0", paramLabel = "N",
      description = "Benchmark: after one warm-up run, analyse N more times and print the mean "
          + "per-stage timings (on stderr with --format json).")
  private int repeat;

  @Option(names = "--volume", defaultValue = "auto", paramLabel = "auto|on|off",
      description = "Disc volumes summed over the slices of the series: auto (default) when more "
          + "than one file is given or the one file holds several frames (an enhanced MR "
          + "series), on or off. On a one-slice series a warning says why there is none.")
  private Volume volume;

  @Parameters(arity = "1..*", paramLabel = "FILE_OR_DIR", description = "DICOM files or folders "
      + "(walked recursively; a folder's files that are not DICOM, such as a CD's viewer or a "
      + "README, are left out and counted on stderr).")
  private List<Path> inputs;

  /**
   * Whether {@code --volume} asks for volumes on these files: {@code auto} when there is more than
   * one file, or one multi-frame file (an enhanced MR series: its frames are the slices).
   */
  static boolean volumes(Volume volume, List<AnalysisRequest.DicomInput> files) {
    if (volume != Volume.auto) {
      return volume == Volume.on;
    }
    if (files.size() != 1) {
      return files.size() > 1;
    }
    try {
      return io.spoils.feature.dicom.DicomReader.create()
          .numberOfFrames(files.get(0).data().duplicate()) > 1;
    } catch (InvalidInputException e) {
      return false; // the analysis says what is wrong with the file
    }
  }

  @Override
  public Integer call() throws Exception {
    Optional<ClinicalScores> scores = scores(odi, nrs);
    if (!(timeoutSeconds > 0) || repeat < 0) {
      throw new InvalidInputException("--timeout must be positive and --repeat >= 0");
    }
    StudyGrouping.Grouping batch = batchOut == null ? null : batch();
    Inputs read = batch == null ? readAll(inputs) : new Inputs(List.of(), 0);
    List<AnalysisRequest.DicomInput> files = read.files();
    if (read.leftOut() > 0) {
      spec.commandLine().getErr().printf("spoils: %d file(s) of the given folders left out: not "
          + "DICOM%n", read.leftOut());
    }
    AnalysisRequest request = batch != null ? null : new AnalysisRequest(files, scores,
        volumes(volume, files));
    Path repository = models != null ? models : defaultModels();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Vertx vertx = Vertx.vertx();
    OnnxRuntimeBackend backend = null;
    try (XgbTreeGrader trees = XgbTreeGrader.loadDefault()) {
      backend = new OnnxRuntimeBackend(vertx, loadRepository(repository), OnnxRuntimeOptions.defaults());
      await(backend.ready());
      PipelineOptions options = PipelineOptions.defaults()
          .withTimeout(Duration.ofMillis(Math.round(timeoutSeconds * 1000)))
          .withIncludeMask(maskOut != null || segOut != null);
      AnalysisPipeline pipeline = new AnalysisPipeline(vertx, backend, "onnxruntime-cpu", trees, options);
      OnnxRuntimeBackend models = backend;
      String treesProvenance = io.spoils.gateway.backend.ModelProvenance.ofTrees(trees.info());
      java.util.function.Function<String, String> provenance = name -> name.equals(
          trees.info().name()) ? treesProvenance : models.provenance(name).orElse("");
      if (batch != null) {
        int failed = new BatchRun(pipeline, provenance, scores, volume, batchOut)
            .run(batch, out, ProgressBar.forTerminal(err, batch.studies().size()));
        return failed == 0 ? 0 : Spoils.EXIT_FAILURE;
      }
      List<PipelineEvent> events = runOnce(pipeline, request, provenance, out);
      if (repeat > 0) {
        printMeans(meanTimings(pipeline, request), format == Format.json ? err : out);
      }
      if (format == Format.table) {
        out.print(AnalysisTable.render(events));
      } else if (format == Format.report) {
        out.print(ClinicalOutputs.report(events));
      }
      ClinicalOutputs.writeDicom(events, files, srOut, segOut);
      if (maskOut != null) {
        writeMasks(events, maskOut);
      }
      out.flush();
      return 0;
    } catch (BackendException | ModelRepositoryException e) {
      err.println("spoils: " + e.getMessage());
      return Spoils.EXIT_FAILURE;
    } finally {
      if (backend != null) {
        await(backend.close());
      }
      await(vertx.close());
    }
  }

  /** The studies of a {@code --batch-out} run, its single-study options refused. */
  private StudyGrouping.Grouping batch() throws IOException {
    if (srOut != null || segOut != null || maskOut != null || repeat > 0
        || format != Format.table) {
      throw new InvalidInputException("--batch-out writes every study's events and report "
          + "itself: leave out --sr-out, --seg-out, --mask-out, --repeat and --format");
    }
    return StudyGrouping.group(inputs);
  }

  /** Both scores or neither; ranges checked by {@link ClinicalScores}. */
  static Optional<ClinicalScores> scores(Double odi, Integer nrs) {
    if (odi == null && nrs == null) {
      return Optional.empty();
    }
    if (odi == null || nrs == null) {
      throw new InvalidInputException("give both --odi and --nrs, or neither for an imaging-only "
          + "analysis");
    }
    return Optional.of(new ClinicalScores(odi, nrs));
  }

  private List<PipelineEvent> runOnce(AnalysisPipeline pipeline, AnalysisRequest request,
      java.util.function.Function<String, String> provenance, PrintWriter out) throws Exception {
    List<PipelineEvent> events = new ArrayList<>();
    ProtoEvents proto = new ProtoEvents(UUID.randomUUID().toString(), System.nanoTime(),
        PipelineOptions.DEFAULT_MAX_CONTRIBUTIONS, provenance);
    JsonFormat.Printer printer = JsonFormat.printer().omittingInsignificantWhitespace();
    await(pipeline.analyze(request, e -> {
      events.add(e);
      if (format == Format.json) {
        try {
          out.println(printer.print(proto.next(e)));
        } catch (InvalidProtocolBufferException ex) {
          throw new IllegalStateException("cannot print an event as JSON", ex);
        }
      }
    }));
    return events;
  }

  private Map<Stage, Double> meanTimings(AnalysisPipeline pipeline, AnalysisRequest request)
      throws Exception {
    Map<Stage, Double> sums = new EnumMap<>(Stage.class);
    for (int i = 0; i < repeat; i++) {
      PipelineEvent.Summary s = await(pipeline.analyze(request, e -> { }));
      s.timings().forEach((stage, d) -> sums.merge(stage, d.toNanos() / 1e6, Double::sum));
    }
    sums.replaceAll((stage, total) -> total / repeat);
    return sums;
  }

  private void printMeans(Map<Stage, Double> means, PrintWriter to) {
    to.printf("mean per-stage timings over %d runs after 1 warm-up run (ms):%n", repeat);
    means.forEach((stage, ms) -> to.printf(java.util.Locale.ROOT, "  %-12s %9.2f%n", stage, ms));
  }

  private static void writeMasks(List<PipelineEvent> events, Path dir) throws IOException {
    Files.createDirectories(dir);
    for (PipelineEvent e : events) {
      if (e instanceof PipelineEvent.Segmentation s) {
        s.semanticMap().ifPresent(m -> ImageFiles.writeMask(m, dir.resolve(SEMANTIC_PNG)));
        s.anatomyMap().ifPresent(m -> ImageFiles.writeMask(m, dir.resolve(ANATOMY_PNG)));
      }
    }
  }

  /**
   * The study's files: every file named, and every regular file of the folders named (walked
   * recursively in name order) that could begin a DICOM file ({@link
   * io.spoils.feature.dicom.DicomReader#looksLikeDicom}, its first bytes only); the folders' other
   * files (a CD's viewer program, a README) are left out unread and counted.
   *
   * @param files the files, at least one
   * @param leftOut files of the folders that are not DICOM
   */
  record Inputs(List<AnalysisRequest.DicomInput> files, int leftOut) { }

  /** The inputs' files ({@link Inputs}). */
  static Inputs readAll(List<Path> inputs) throws IOException {
    List<AnalysisRequest.DicomInput> files = new ArrayList<>();
    int leftOut = 0;
    for (Path input : inputs) {
      if (Files.isDirectory(input)) {
        try (Stream<Path> walk = Files.walk(input)) {
          for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
            if (io.spoils.feature.dicom.DicomReader.looksLikeDicom(p)) {
              files.add(read(p, input.relativize(p).toString()));
            } else {
              leftOut++;
            }
          }
        }
      } else if (Files.isRegularFile(input)) {
        files.add(read(input, input.getFileName().toString()));
      } else {
        throw new InvalidInputException("an input path does not exist or is not a file or folder");
      }
    }
    if (files.isEmpty()) {
      throw new InvalidInputException(leftOut > 0 ? "the given folders hold no DICOM file ("
          + leftOut + " other file(s))" : "the given folders hold no files");
    }
    return new Inputs(files, leftOut);
  }

  private static AnalysisRequest.DicomInput read(Path file, String name) throws IOException {
    if (Files.size(file) > io.spoils.feature.dicom.DicomReader.MAX_FILE_BYTES) {
      throw new InvalidInputException("a file is larger than the "
          + io.spoils.feature.dicom.DicomReader.MAX_FILE_BYTES + "-byte limit");
    }
    return new AnalysisRequest.DicomInput(name, Files.readAllBytes(file));
  }

  private static ModelRepository loadRepository(Path dir) {
    ModelRepository repo = ModelRepository.load(dir);
    for (String model : List.of(AnalysisPipeline.SEGMENTATION_MODEL, AnalysisPipeline.GRADING_MODEL)) {
      if (repo.model(model).isEmpty()) {
        throw new ModelRepositoryException("model repository " + dir + " has no " + model
            + " model (config.pbtxt and 1/model.onnx); see triton-models/README.md");
      }
    }
    return repo;
  }

  /** {@code triton-models} in the working directory or a parent, else beside the jar's checkout. */
  public static Path defaultModels() {
    Path found = tritonModelsAbove(Paths.get("").toAbsolutePath());
    if (found == null) {
      try {
        found = tritonModelsAbove(Paths.get(AnalyzeCommand.class.getProtectionDomain()
            .getCodeSource().getLocation().toURI()).getParent());
      } catch (java.net.URISyntaxException | RuntimeException e) {
        // fall through to the plain name, whose absence the repository loader reports
      }
    }
    return found != null ? found : Paths.get("triton-models");
  }

  private static Path tritonModelsAbove(Path start) {
    for (Path p = start; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("triton-models"))) {
        return p.resolve("triton-models");
      }
    }
    return null;
  }

  /** Waits for {@code future}; unwraps its failure so that bad input stays InvalidInputException. */
  static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    } catch (TimeoutException e) {
      throw new IllegalStateException("the analysis did not finish within 10 minutes", e);
    }
  }
}
