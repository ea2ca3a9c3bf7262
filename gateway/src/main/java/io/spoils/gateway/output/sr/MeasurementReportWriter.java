package io.spoils.gateway.output.sr;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.ContentItem;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.StructuredReport;
import com.pixelmed.dicom.TagFromName;
import io.spoils.feature.dicom.DicomUids;
import io.spoils.gateway.output.AnalysisResult;
import io.spoils.gateway.output.Concept;
import io.spoils.gateway.output.DicomHeaders;
import io.spoils.gateway.output.Producer;
import io.spoils.gateway.output.SourceImage;
import io.spoils.gateway.output.report.ClinicalReport;
import io.spoils.gateway.output.report.Wording;
import io.spoils.gateway.pipeline.ModelUse;
import io.spoils.gateway.pipeline.PipelineEvent;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Objects;

/**
 * Writes an analysis as a DICOM Comprehensive SR in the form of TID 1500 "Measurement Report":
 * language, device observer (SPOILS), procedure reported, an image library with the measured
 * source image, one TID 1501 measurement group per disc ({@link DiscGroup}), and qualitative
 * evaluations for the study: the treatment stratum and its reason, the clinical scores, the
 * impression, the whole written report ({@link ClinicalReport}) and the decision-support
 * statement. The document belongs to the source's study, in a new series; it is PARTIAL
 * (decision support) and UNVERIFIED (no clinician has signed it).
 *
 * <p>Consumes the values of {@link AnalysisResult}; identifiers come from {@link SourceImage}.
 * Thread-safe: each call builds its own tree.
 */
public final class MeasurementReportWriter {

  /** Algorithm Name (TID 4019) of every measurement group. */
  public static final String ALGORITHM = "SPOILS lumbar disc analysis";
  /** Series Number of the SR's series. */
  public static final int SERIES_NUMBER = 9901;
  /** Series Description of the SR's series. */
  public static final String SERIES_DESCRIPTION = "SPOILS measurement report";

  private final Producer producer;

  public MeasurementReportWriter(Producer producer) {
    this.producer = Objects.requireNonNull(producer, "producer");
  }

  /** The SR as a Part 10 file (explicit VR little endian). */
  public byte[] write(AnalysisResult result, SourceImage source, ClinicalReport report) {
    return DicomHeaders.encode(build(result, source, report));
  }

  /** The SR's attributes. */
  public AttributeList build(AnalysisResult result, SourceImage source, ClinicalReport report) {
    try {
      ContentItem root = content(result, source, report);
      AttributeList list = new StructuredReport(root).getAttributeList();
      DicomHeaders.shared(list, source, SOPClass.ComprehensiveSRStorage, "SR", SERIES_NUMBER,
          SERIES_DESCRIPTION, producer, LocalDateTime.now());
      document(list, source);
      return list;
    } catch (DicomException e) {
      throw new IllegalStateException("cannot build the measurement report", e);
    }
  }

  private ContentItem content(AnalysisResult result, SourceImage source, ClinicalReport report)
      throws DicomException {
    SrTree tree = new SrTree();
    ContentItem root = tree.root(SrConcepts.REPORT, "1500");
    tree.code(root, SrTree.CONCEPT_MOD, SrConcepts.LANGUAGE, SrConcepts.ENGLISH_US);
    tree.code(root, SrTree.OBS_CONTEXT, SrConcepts.OBSERVER_TYPE, SrConcepts.DEVICE);
    tree.uid(root, SrTree.OBS_CONTEXT, SrConcepts.DEVICE_UID, Producer.deviceObserverUid());
    tree.text(root, SrTree.OBS_CONTEXT, SrConcepts.DEVICE_NAME, Producer.MODEL_NAME);
    tree.text(root, SrTree.OBS_CONTEXT, SrConcepts.DEVICE_MANUFACTURER, Producer.MANUFACTURER);
    tree.text(root, SrTree.OBS_CONTEXT, SrConcepts.DEVICE_MODEL, Producer.MODEL_NAME + " "
        + producer.softwareVersion());
    tree.code(root, SrTree.CONCEPT_MOD, SrConcepts.PROCEDURE_REPORTED,
        SrConcepts.IMAGING_PROCEDURE);
    ContentItem library = tree.container(tree.container(root, SrConcepts.IMAGE_LIBRARY),
        SrConcepts.IMAGE_LIBRARY_GROUP);
    tree.image(library, source.sopClassUid(), source.sopInstanceUid(),
        source.referencedFrameNumber());
    ContentItem measurements = tree.container(root, SrConcepts.IMAGING_MEASUREMENTS);
    DiscGroup groups = new DiscGroup(tree);
    List<String> algorithms = algorithms(result.summary().models());
    String version = producer.softwareVersion();
    for (PipelineEvent.Disc disc : result.discs()) {
      groups.add(measurements, disc, DicomUids.newUid(), version, algorithms);
    }
    evaluations(tree, tree.container(root, SrConcepts.QUALITATIVE_EVALUATIONS), result, report);
    return root;
  }

  private static void evaluations(SrTree tree, ContentItem q, AnalysisResult result,
      ClinicalReport report) throws DicomException {
    PipelineEvent.Summary s = result.summary();
    tree.code(q, SrTree.CONTAINS, SrConcepts.STRATUM, SrConcepts.stratum(s.decision().stratum()));
    tree.text(q, SrTree.CONTAINS, SrConcepts.STRATUM_REASON, Wording.ascii(s.decision().reason()));
    if (s.scores().isPresent()) {
      tree.num(q, SrConcepts.ODI, s.scores().get().odiPercent(), SrConcepts.PERCENT);
      tree.num(q, SrConcepts.NRS, s.scores().get().nrs(), SrConcepts.SCORE);
    }
    tree.text(q, SrTree.CONTAINS, SrConcepts.IMPRESSION, report.impressionText().strip());
    tree.text(q, SrTree.CONTAINS, SrConcepts.SUMMARY, report.text().strip());
    tree.text(q, SrTree.CONTAINS, SrConcepts.COMMENT, report.disclaimer());
  }

  /** TID 4019 Algorithm Parameters: each model as "name version (role, backend)". */
  static List<String> algorithms(List<ModelUse> models) {
    return models.stream().map(m -> m.name() + " " + m.version() + " ("
        + m.role().name().toLowerCase(java.util.Locale.ROOT) + ", " + m.backend() + ")").toList();
  }

  /** SR Document General module, evidence and the private coding scheme. */
  private static void document(AttributeList list, SourceImage source) throws DicomException {
    DicomHeaders.put(list, TagFromName.CompletionFlag, "PARTIAL");
    DicomHeaders.put(list, TagFromName.VerificationFlag, "UNVERIFIED");
    list.putNewAttribute(TagFromName.PerformedProcedureCodeSequence);
    list.putNewAttribute(TagFromName.ReferencedPerformedProcedureStepSequence);
    list.put(evidence(source));
    list.put(Concept.privateSchemeIdentification());
  }

  /** Current Requested Procedure Evidence: the measured source instance, by study and series. */
  private static SequenceAttribute evidence(SourceImage source) throws DicomException {
    AttributeList series = new AttributeList();
    DicomHeaders.put(series, TagFromName.SeriesInstanceUID, source.seriesInstanceUid());
    series.put(DicomHeaders.sequence(TagFromName.ReferencedSOPSequence,
        DicomHeaders.sopReference(source)));
    AttributeList study = new AttributeList();
    DicomHeaders.put(study, TagFromName.StudyInstanceUID, source.studyInstanceUid());
    study.put(DicomHeaders.sequence(TagFromName.ReferencedSeriesSequence, series));
    return DicomHeaders.sequence(TagFromName.CurrentRequestedProcedureEvidenceSequence, study);
  }
}
