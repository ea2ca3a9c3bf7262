package io.spoils.gateway.output.sr;

import io.spoils.feature.anatomy.DiscLevel;
import io.spoils.feature.decision.DiscClass;
import io.spoils.feature.decision.Severity;
import io.spoils.feature.decision.TreatmentStratum;
import io.spoils.gateway.output.Concept;
import io.spoils.gateway.output.report.Wording;

/**
 * The coded concepts of the SPOILS Measurement Report (TID 1500). Standard concepts (DCM, SCT,
 * UCUM, UMLS) where DICOM PS3.16 has them; SPOILS private concepts ({@code 99SPOILS}) for what it
 * lacks: the Pfirrmann grade, the 11 disc classes, the treatment strata, the disc height index,
 * signal ratios, the heights' measurement points and the clinical scores.
 */
final class SrConcepts {
  // document structure (TID 1500, 1204, 1001-1004, 1600, 1501, 4019, 4108)
  static final Concept REPORT = Concept.dcm("126000", "Imaging Measurement Report");
  static final Concept LANGUAGE = Concept.dcm("121049", "Language of Content Item and Descendants");
  static final Concept ENGLISH_US = new Concept("en-US", "RFC5646", "English (United States)");
  static final Concept OBSERVER_TYPE = Concept.dcm("121005", "Observer Type");
  static final Concept DEVICE = Concept.dcm("121007", "Device");
  static final Concept DEVICE_UID = Concept.dcm("121012", "Device Observer UID");
  static final Concept DEVICE_NAME = Concept.dcm("121013", "Device Observer Name");
  static final Concept DEVICE_MANUFACTURER = Concept.dcm("121014", "Device Observer Manufacturer");
  static final Concept DEVICE_MODEL = Concept.dcm("121015", "Device Observer Model Name");
  static final Concept PROCEDURE_REPORTED = Concept.dcm("121058", "Procedure reported");
  static final Concept IMAGING_PROCEDURE = Concept.sct("363679005", "Imaging procedure");
  static final Concept IMAGE_LIBRARY = Concept.dcm("111028", "Image Library");
  static final Concept IMAGE_LIBRARY_GROUP = Concept.dcm("126200", "Image Library Group");
  static final Concept IMAGING_MEASUREMENTS = Concept.dcm("126010", "Imaging Measurements");
  static final Concept MEASUREMENT_GROUP = Concept.dcm("125007", "Measurement Group");
  static final Concept TRACKING_ID = Concept.dcm("112039", "Tracking Identifier");
  static final Concept TRACKING_UID = Concept.dcm("112040", "Tracking Unique Identifier");
  static final Concept FINDING = Concept.dcm("121071", "Finding");
  static final Concept FINDING_SITE = Concept.sct("363698007", "Finding Site");
  static final Concept ALGORITHM_NAME = Concept.dcm("111001", "Algorithm Name");
  static final Concept ALGORITHM_VERSION = Concept.dcm("111003", "Algorithm Version");
  static final Concept ALGORITHM_PARAMETERS = Concept.dcm("111002", "Algorithm Parameters");
  static final Concept QUALITATIVE_EVALUATIONS = new Concept("C0034375", "UMLS",
      "Qualitative Evaluations");
  static final Concept IMPRESSION = Concept.dcm("121073", "Impression");
  static final Concept SUMMARY = Concept.dcm("121111", "Summary");
  static final Concept COMMENT = Concept.dcm("121106", "Comment");

  // anatomy
  static final Concept INTERVERTEBRAL_DISC = Concept.sct("360499006", "Intervertebral disc");
  static final Concept SPINAL_CANAL = Concept.sct("61853006", "Spinal canal");
  static final Concept THORACIC_SPINE = Concept.sct("122495006", "Thoracic spine");

  // measurements and their modifiers
  static final Concept HEIGHT = Concept.dcm("121207", "Height");
  static final Concept WIDTH = Concept.sct("103355008", "Width");
  static final Concept AREA = Concept.sct("42798000", "Area");
  static final Concept VOLUME = Concept.sct("118565006", "Volume");
  static final Concept DIAMETER = Concept.sct("81827009", "Diameter");
  static final Concept PROBABILITY = Concept.dcm("122157", "Probability");
  static final Concept DERIVATION = Concept.dcm("121401", "Derivation");
  static final Concept MEAN = Concept.sct("373098007", "Mean");
  static final Concept MEASUREMENT_METHOD = Concept.sct("370129005", "Measurement Method");
  static final Concept SEVERITY = Concept.sct("246112005", "Severity");

  // units
  static final Concept MM = Concept.ucum("mm", "millimeter");
  static final Concept MM2 = Concept.ucum("mm2", "square millimeter");
  static final Concept MM3 = Concept.ucum("mm3", "cubic millimeter");
  static final Concept RATIO = Concept.ucum("{ratio}", "ratio");
  static final Concept NO_UNITS = Concept.ucum("1", "no units");
  static final Concept PERCENT = Concept.ucum("%", "percent");
  static final Concept SCORE = Concept.ucum("{score}", "score");

  // SPOILS private concepts
  static final Concept PFIRRMANN = Concept.spoils("PFIRRMANN", "Pfirrmann grade");
  static final Concept DISC_CLASS = Concept.spoils("DISC-CLASS", "Disc degeneration class");
  static final Concept STRATUM = Concept.spoils("STRATUM", "Treatment stratum");
  static final Concept STRATUM_REASON = Concept.spoils("STRATUM-REASON",
      "Treatment stratum reason");
  static final Concept HEIGHT_INDEX = Concept.spoils("DHI", "Disc height index");
  static final Concept SIGNAL_CSF = Concept.spoils("SIGNAL-CSF", "Disc to CSF signal ratio");
  static final Concept SIGNAL_VERTEBRA = Concept.spoils("SIGNAL-VERTEBRA",
      "Disc to vertebral body signal ratio");
  static final Concept AT_ANTERIOR = Concept.spoils("AT-ANTERIOR",
      "At one sixth of the disc width from its anterior edge");
  static final Concept AT_CENTRE = Concept.spoils("AT-CENTRE", "At the middle of the disc width");
  static final Concept AT_POSTERIOR = Concept.spoils("AT-POSTERIOR",
      "At one sixth of the disc width from its posterior edge");
  static final Concept CANAL_AP = Concept.spoils("CANAL-AP",
      "Anteroposterior, along the disc axis behind the disc");
  static final Concept SLICE_SUM = Concept.spoils("SLICE-SUM", "Summed over the series' slices");
  static final Concept ODI = Concept.spoils("ODI", "Oswestry Disability Index");
  static final Concept NRS = Concept.spoils("NRS", "Pain Numeric Rating Scale");

  private SrConcepts() {
  }

  /** The SNOMED CT disc level, e.g. "Level of L4/L5 intervertebral disc"; thoracic spine for THORACIC. */
  static Concept level(DiscLevel level) {
    return switch (level) {
      case THORACIC -> THORACIC_SPINE;
      case T12_L1 -> Concept.sct("243926009", "Level of T12/L1 intervertebral disc");
      case L1_L2 -> Concept.sct("243920003", "Level of L1/L2 intervertebral disc");
      case L2_L3 -> Concept.sct("243921004", "Level of L2/L3 intervertebral disc");
      case L3_L4 -> Concept.sct("243922006", "Level of L3/L4 intervertebral disc");
      case L4_L5 -> Concept.sct("243923001", "Level of L4/L5 intervertebral disc");
      case L5_S1 -> Concept.sct("243927000", "Level of L5/S1 intervertebral disc");
    };
  }

  /** A Pfirrmann grade as a private value, e.g. {@code PFIRRMANN-4} "Pfirrmann grade IV". */
  static Concept pfirrmann(int grade) {
    return Concept.spoils("PFIRRMANN-" + grade, "Pfirrmann grade " + Wording.roman(grade));
  }

  /** The SNOMED CT severity: mild, moderate, severe for L, M, H. */
  static Concept severity(Severity severity) {
    return switch (severity) {
      case LOW -> Concept.sct("255604002", "Mild");
      case MEDIUM -> Concept.sct("6736007", "Moderate");
      case HIGH -> Concept.sct("24484000", "Severe");
    };
  }

  /** A disc class as a private value, e.g. {@code CLASS-4M} "4M". */
  static Concept discClass(DiscClass c) {
    return Concept.spoils("CLASS-" + c.label(), c.label() + ": Pfirrmann " + c.pfirrmann() + ", "
        + Wording.severity(c.severity()) + " severity");
  }

  /** A stratum as a private value, e.g. {@code SURGICAL_CONSULTATION}. */
  static Concept stratum(TreatmentStratum s) {
    String code = switch (s) {
      case NOT_GRADED -> "NOT-GRADED";
      case CONSERVATIVE -> "CONSERVATIVE";
      case EPIDURAL_STEROID_INJECTION -> "ESI";
      case SURGICAL_CONSULTATION -> "SURGICAL";
    };
    return Concept.spoils(code, Wording.stratum(s));
  }
}
