package io.spoils.gateway.cli;

import io.spoils.gateway.output.AnalysisResult;
import io.spoils.gateway.output.report.ReportWriter;
import io.spoils.gateway.output.store.ResultObjects;
import io.spoils.gateway.pipeline.AnalysisRequest;
import io.spoils.gateway.pipeline.PipelineEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The clinical outputs of {@code spoils analyze}: the written report ({@code --format report}),
 * the DICOM SR ({@code --sr-out}) and the DICOM SEG ({@code --seg-out}), each produced by its
 * writer in {@code io.spoils.gateway.output} from the events of one finished analysis (the SR and
 * SEG through {@link ResultObjects}, as the store to the PACS builds them).
 */
final class ClinicalOutputs {

  /** File name of the SR in the {@code --sr-out} folder. */
  static final String SR_FILE = "spoils-sr.dcm";
  /** File name of the SEG in the {@code --seg-out} folder. */
  static final String SEG_FILE = "spoils-seg.dcm";

  private ClinicalOutputs() {
  }

  /** The written report of the analysis. */
  static String report(List<PipelineEvent> events) {
    return ReportWriter.write(AnalysisResult.of(events)).text();
  }

  /**
   * Writes the SR and/or SEG of the analysis; nothing when both folders are null.
   *
   * @param files the analysed files (the source instance is found among them)
   * @param srOut folder of the SR, or null
   * @param segOut folder of the SEG, or null; the events must then carry the label map
   */
  static void writeDicom(List<PipelineEvent> events, List<AnalysisRequest.DicomInput> files,
      Path srOut, Path segOut) throws IOException {
    ResultObjects objects = ResultObjects.build(events, files, srOut != null, segOut != null);
    if (objects.sr().isPresent()) {
      write(srOut.resolve(SR_FILE), objects.sr().get());
    }
    if (objects.seg().isPresent()) {
      write(segOut.resolve(SEG_FILE), objects.seg().get());
    }
  }

  private static void write(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
  }
}
