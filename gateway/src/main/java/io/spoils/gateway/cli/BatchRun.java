package io.spoils.gateway.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.spoils.feature.decision.ClinicalScores;
import io.spoils.gateway.api.ProtoEvents;
import io.spoils.gateway.failure.Failure;
import io.spoils.gateway.pipeline.AnalysisPipeline;
import io.spoils.gateway.pipeline.AnalysisRequest;
import io.spoils.gateway.pipeline.PipelineEvent;
import io.spoils.gateway.pipeline.PipelineOptions;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * {@code spoils analyze --batch-out DIR}: every study of the inputs ({@link StudyGrouping})
 * analysed on its own, one after the other, in one process and on one loaded set of models. For
 * study number N (in the order its first file is met) it writes {@code DIR/study-NNN/}
 * {@value #EVENTS_FILE} (the events as NDJSON, as {@code --format json} prints them) and
 * {@value #REPORT_FILE} (the written report), adds its discs to {@link BatchCsv#DISCS_FILE} and
 * its outcome to {@link BatchCsv#STUDIES_FILE}; both tables are flushed after each study, so an
 * interrupted run keeps what it finished. A study whose analysis fails is recorded with its reason
 * and the run goes on. Only one study's files are in memory at a time. A progress bar is drawn on
 * a terminal ({@link ProgressBar}); stdout gets one closing line.
 */
final class BatchRun {

  static final String EVENTS_FILE = "events.ndjson";
  static final String REPORT_FILE = "report.txt";

  private final AnalysisPipeline pipeline;
  private final Function<String, String> provenance;
  private final Optional<ClinicalScores> scores;
  private final AnalyzeCommand.Volume volume;
  private final Path out;

  /**
   * @param provenance each model's provenance line, by name, for the events
   * @param scores the clinical scores, applied to every study (usually empty in a batch)
   * @param volume when disc volumes are computed ({@code auto}: studies of more than one file)
   * @param out the output folder, created when missing
   */
  BatchRun(AnalysisPipeline pipeline, Function<String, String> provenance,
      Optional<ClinicalScores> scores, AnalyzeCommand.Volume volume, Path out) {
    this.pipeline = pipeline;
    this.provenance = provenance;
    this.scores = scores;
    this.volume = volume;
    this.out = out;
  }

  /**
   * Analyses every study.
   *
   * @param stdout receives the closing line
   * @param progress draws the progress
   * @return the number of studies whose analysis failed
   */
  int run(StudyGrouping.Grouping grouping, PrintWriter stdout, ProgressBar progress)
      throws IOException {
    Files.createDirectories(out);
    int failed = 0;
    int done = 0;
    try (BufferedWriter discs = Files.newBufferedWriter(out.resolve(BatchCsv.DISCS_FILE),
            StandardCharsets.UTF_8);
        BufferedWriter studies = Files.newBufferedWriter(out.resolve(BatchCsv.STUDIES_FILE),
            StandardCharsets.UTF_8)) {
      line(discs, BatchCsv.DISCS_HEADER);
      line(studies, BatchCsv.STUDIES_HEADER);
      progress.update(0, 0);
      for (StudyGrouping.Study study : grouping.studies()) {
        String name = String.format(Locale.ROOT, "study-%03d", done + 1);
        try {
          List<PipelineEvent> events = analyse(study);
          write(out.resolve(name), events);
          for (String row : BatchCsv.discRows(name, study.studyInstanceUid(), events)) {
            line(discs, row);
          }
          line(studies, BatchCsv.analysed(name, study.studyInstanceUid(), study.files().size(),
              summary(events)));
        } catch (Exception e) {
          failed++;
          line(studies, BatchCsv.failed(name, study.studyInstanceUid(), study.files().size(),
              Failure.of(e).detail()));
        }
        discs.flush();
        studies.flush();
        progress.update(++done, failed);
      }
    }
    progress.finish();
    stdout.printf(Locale.ROOT, "analysed %d of %d studies%s%s; results in %s%n",
        done - failed, done, failed > 0 ? " (" + failed + " failed, see "
            + BatchCsv.STUDIES_FILE + ")" : "",
        grouping.skipped() > 0 ? ", " + grouping.skipped() + " file(s) skipped (not DICOM or "
            + "without a Study Instance UID)" : "", out);
    stdout.flush();
    return failed;
  }

  private List<PipelineEvent> analyse(StudyGrouping.Study study) throws Exception {
    List<AnalysisRequest.DicomInput> files = AnalyzeCommand.readAll(study.files()).files();
    AnalysisRequest request = new AnalysisRequest(files, scores,
        AnalyzeCommand.volumes(volume, files));
    List<PipelineEvent> events = new ArrayList<>();
    AnalyzeCommand.await(pipeline.analyze(request, events::add));
    return events;
  }

  private void write(Path dir, List<PipelineEvent> events) throws IOException {
    Files.createDirectories(dir);
    ProtoEvents proto = new ProtoEvents(UUID.randomUUID().toString(), System.nanoTime(),
        PipelineOptions.DEFAULT_MAX_CONTRIBUTIONS, provenance);
    JsonFormat.Printer printer = JsonFormat.printer().omittingInsignificantWhitespace();
    StringBuilder ndjson = new StringBuilder();
    for (PipelineEvent e : events) {
      try {
        ndjson.append(printer.print(proto.next(e))).append('\n');
      } catch (InvalidProtocolBufferException ex) {
        throw new IllegalStateException("cannot print an event as JSON", ex);
      }
    }
    Files.writeString(dir.resolve(EVENTS_FILE), ndjson, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve(REPORT_FILE), ClinicalOutputs.report(events),
        StandardCharsets.UTF_8);
  }

  private static PipelineEvent.Summary summary(List<PipelineEvent> events) {
    return events.stream().filter(e -> e instanceof PipelineEvent.Summary)
        .map(e -> (PipelineEvent.Summary) e).findFirst()
        .orElseThrow(() -> new IllegalStateException("the analysis sent no summary"));
  }

  private static void line(BufferedWriter w, String text) throws IOException {
    w.write(text);
    w.write('\n');
  }
}
