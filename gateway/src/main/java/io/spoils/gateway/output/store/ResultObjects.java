package io.spoils.gateway.output.store;

import io.spoils.gateway.output.AnalysisResult;
import io.spoils.gateway.output.Producer;
import io.spoils.gateway.output.SourceImage;
import io.spoils.gateway.output.SourceLocator;
import io.spoils.gateway.output.report.ReportWriter;
import io.spoils.gateway.output.seg.SegmentationWriter;
import io.spoils.gateway.output.sr.MeasurementReportWriter;
import io.spoils.gateway.pipeline.AnalysisRequest;
import io.spoils.gateway.pipeline.ModelUse;
import io.spoils.gateway.pipeline.PipelineEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The DICOM objects of one finished analysis, as Part 10 files: the SR (TID 1500 measurement
 * report with the written report) and the SEG of the measured slice's label map, both referencing
 * the measured source instance. The one place the CLI's {@code --sr-out}/{@code --seg-out} and
 * the store to the PACS build them. Blocking: the source files are decoded again to find the
 * measured instance ({@link SourceLocator}); call it off the event loop.
 *
 * @param sr the SR, when asked for
 * @param seg the SEG, when asked for
 */
public record ResultObjects(Optional<byte[]> sr, Optional<byte[]> seg) {

  /**
   * Builds the objects asked for.
   *
   * @param events every event of the analysis; for the SEG they must carry the label map
   * @param files the files the analysis was given, in the same order
   * @throws IllegalArgumentException when the analysis did not finish
   * @throws IllegalStateException when the SEG is asked for and the events carry no label map
   * @throws io.spoils.feature.InvalidInputException when the measured instance cannot be found or
   *     lacks the identifiers the objects must reference
   */
  public static ResultObjects build(List<PipelineEvent> events,
      List<AnalysisRequest.DicomInput> files, boolean sr, boolean seg) {
    if (!sr && !seg) {
      return new ResultObjects(Optional.empty(), Optional.empty());
    }
    AnalysisResult result = AnalysisResult.of(events);
    SourceImage source = SourceLocator.create().locate(files, result);
    Producer producer = Producer.current();
    Optional<byte[]> srBytes = sr ? Optional.of(new MeasurementReportWriter(producer)
        .write(result, source, ReportWriter.write(result))) : Optional.empty();
    Optional<byte[]> segBytes = Optional.empty();
    if (seg) {
      ModelUse model = result.summary().models().stream()
          .filter(m -> m.role() == ModelUse.Role.SEGMENTATION).findFirst()
          .orElseThrow(() -> new IllegalStateException("no segmentation model in the summary"));
      segBytes = Optional.of(new SegmentationWriter(producer).write(result.anatomyMap()
          .orElseThrow(() -> new IllegalStateException("the analysis returned no label map")),
          source, model));
    }
    return new ResultObjects(srBytes, segBytes);
  }

  /** The objects built, SR first. */
  public List<byte[]> all() {
    List<byte[]> out = new ArrayList<>(2);
    sr.ifPresent(out::add);
    seg.ifPresent(out::add);
    return out;
  }
}
