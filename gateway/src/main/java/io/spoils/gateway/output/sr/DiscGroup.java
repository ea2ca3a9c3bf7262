package io.spoils.gateway.output.sr;

import com.pixelmed.dicom.ContentItem;
import com.pixelmed.dicom.DicomException;
import io.spoils.feature.decision.DiscClass;
import io.spoils.feature.decision.EnsembleGrade;
import io.spoils.feature.geometry.DiscGeometry;
import io.spoils.gateway.output.Concept;
import io.spoils.gateway.output.report.Wording;
import io.spoils.gateway.pipeline.PipelineEvent;
import java.util.List;

/**
 * One disc as a TID 1501 Measurement Group: tracking identifier and UID, finding (intervertebral
 * disc) and finding site (its level), the algorithm identification (TID 4019), the measurements
 * (NUM, UCUM units; values the pipeline could not measure are left out) and the qualitative
 * evaluations (Pfirrmann grade, severity, class and its probability, stratum and reason).
 */
final class DiscGroup {

  private final SrTree tree;

  DiscGroup(SrTree tree) {
    this.tree = tree;
  }

  /**
   * Adds the group of {@code disc} to {@code parent}.
   *
   * @param trackingUid a new UID for this disc
   * @param algorithms the TID 4019 parameters: every model with its version
   */
  void add(ContentItem parent, PipelineEvent.Disc disc, String trackingUid, String algorithmVersion,
      List<String> algorithms) throws DicomException {
    ContentItem g = tree.container(parent, SrConcepts.MEASUREMENT_GROUP);
    tree.text(g, SrTree.OBS_CONTEXT, SrConcepts.TRACKING_ID, disc.level().displayName()
        + " disc");
    tree.uid(g, SrTree.OBS_CONTEXT, SrConcepts.TRACKING_UID, trackingUid);
    tree.code(g, SrTree.CONTAINS, SrConcepts.FINDING, SrConcepts.INTERVERTEBRAL_DISC);
    tree.code(g, SrTree.CONCEPT_MOD, SrConcepts.FINDING_SITE, SrConcepts.level(disc.level()));
    tree.text(g, SrTree.CONCEPT_MOD, SrConcepts.ALGORITHM_NAME, MeasurementReportWriter.ALGORITHM);
    tree.text(g, SrTree.CONCEPT_MOD, SrConcepts.ALGORITHM_VERSION, algorithmVersion);
    for (String a : algorithms) {
      tree.text(g, SrTree.CONCEPT_MOD, SrConcepts.ALGORITHM_PARAMETERS, a);
    }
    measurements(g, disc);
    if (disc.ensemble().isPresent()) {
      grades(g, disc.ensemble().get());
    }
    tree.code(g, SrTree.CONTAINS, SrConcepts.STRATUM, SrConcepts.stratum(disc.decision().stratum()));
    tree.text(g, SrTree.CONTAINS, SrConcepts.STRATUM_REASON,
        Wording.ascii(disc.decision().reason()));
  }

  private void measurements(ContentItem g, PipelineEvent.Disc disc) throws DicomException {
    DiscGeometry m = disc.geometry();
    num(g, SrConcepts.HEIGHT, m.averageHeightMm(), SrConcepts.MM, SrConcepts.DERIVATION,
        SrConcepts.MEAN);
    num(g, SrConcepts.HEIGHT, m.anteriorHeightMm(), SrConcepts.MM, SrConcepts.MEASUREMENT_METHOD,
        SrConcepts.AT_ANTERIOR);
    num(g, SrConcepts.HEIGHT, m.centralHeightMm(), SrConcepts.MM, SrConcepts.MEASUREMENT_METHOD,
        SrConcepts.AT_CENTRE);
    num(g, SrConcepts.HEIGHT, m.posteriorHeightMm(), SrConcepts.MM,
        SrConcepts.MEASUREMENT_METHOD, SrConcepts.AT_POSTERIOR);
    num(g, SrConcepts.WIDTH, m.averageWidthMm(), SrConcepts.MM, SrConcepts.DERIVATION,
        SrConcepts.MEAN);
    num(g, SrConcepts.AREA, m.areaMm2(), SrConcepts.MM2, null, null);
    num(g, SrConcepts.HEIGHT_INDEX, m.heightIndex(), SrConcepts.RATIO, null, null);
    num(g, SrConcepts.SIGNAL_CSF, m.signalRatioToCsf(), SrConcepts.RATIO, null, null);
    num(g, SrConcepts.SIGNAL_VERTEBRA, m.signalRatioToVertebra(), SrConcepts.RATIO, null, null);
    ContentItem canal = num(g, SrConcepts.DIAMETER, m.canalApDiameterMm(), SrConcepts.MM,
        SrConcepts.MEASUREMENT_METHOD, SrConcepts.CANAL_AP);
    if (canal != null) {
      tree.code(canal, SrTree.CONCEPT_MOD, SrConcepts.FINDING_SITE, SrConcepts.SPINAL_CANAL);
    }
    if (disc.volumeSlices() > 0) {
      num(g, SrConcepts.VOLUME, m.volumeMm3(), SrConcepts.MM3, SrConcepts.MEASUREMENT_METHOD,
          SrConcepts.SLICE_SUM);
    }
  }

  private void grades(ContentItem g, EnsembleGrade grade) throws DicomException {
    DiscClass c = grade.discClass();
    tree.code(g, SrTree.CONTAINS, SrConcepts.PFIRRMANN, SrConcepts.pfirrmann(c.pfirrmann()));
    tree.code(g, SrTree.CONTAINS, SrConcepts.SEVERITY, SrConcepts.severity(c.severity()));
    tree.code(g, SrTree.CONTAINS, SrConcepts.DISC_CLASS, SrConcepts.discClass(c));
    tree.num(g, SrConcepts.PROBABILITY, grade.confidence(), SrConcepts.NO_UNITS);
  }

  /** A NUM with an optional modifier; nothing (null) when the value was not measured. */
  private ContentItem num(ContentItem g, Concept name, double value, Concept unit,
      Concept modifierName, Concept modifier) throws DicomException {
    if (!Double.isFinite(value)) {
      return null;
    }
    ContentItem n = tree.num(g, name, value, unit);
    if (modifierName != null) {
      tree.code(n, SrTree.CONCEPT_MOD, modifierName, modifier);
    }
    return n;
  }
}
