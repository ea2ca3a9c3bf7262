package io.spoils.proto.v1;

import static io.spoils.proto.DescriptorAssertions.assertEnum;
import static io.spoils.proto.DescriptorAssertions.assertExactFields;
import static io.spoils.proto.DescriptorAssertions.assertMethod;
import static io.spoils.proto.DescriptorAssertions.assertOneof;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Pins the public spoils.v1 contract: the service's methods and streaming flags and the messages
 * clients build on. Changing any of these breaks deployed clients; add fields instead.
 */
class AnalysisContractDescriptorTest {

  private static final FileDescriptor SERVICE_FILE = AnalysisServiceProto.getDescriptor();
  private static final ServiceDescriptor SERVICE =
      SERVICE_FILE.findServiceByName("AnalysisService");

  @Test
  void service_methodsAndStreamingFlags() {
    assertEquals("spoils.v1.AnalysisService", SERVICE.getFullName());
    assertMethod(SERVICE, "Analyze", "spoils.v1.AnalyzeRequest", "spoils.v1.AnalysisEvent",
        false, true);
    assertMethod(SERVICE, "AnalyzeUpload", "spoils.v1.UploadRequest", "spoils.v1.AnalysisEvent",
        true, true);
    assertMethod(SERVICE, "ListModels", "spoils.v1.ListModelsRequest",
        "spoils.v1.ListModelsResponse", false, false);
    List<String> names = SERVICE.getMethods().stream()
        .map(MethodDescriptor::getName).collect(Collectors.toList());
    assertEquals(List.of("Analyze", "AnalyzeUpload", "ListModels"), names);
  }

  @Test
  void grpcStubs_methodTypes() {
    assertEquals(MethodType.SERVER_STREAMING, AnalysisServiceGrpc.getAnalyzeMethod().getType());
    assertEquals(MethodType.BIDI_STREAMING,
        AnalysisServiceGrpc.getAnalyzeUploadMethod().getType());
    assertEquals(MethodType.UNARY, AnalysisServiceGrpc.getListModelsMethod().getType());
    assertEquals("spoils.v1.AnalysisService/Analyze",
        AnalysisServiceGrpc.getAnalyzeMethod().getFullMethodName());
  }

  @Test
  void analyzeRequest_studyOneofAndFields() {
    assertExactFields(AnalyzeRequest.getDescriptor(),
        "DicomFiles files = 1; DicomWebStudy dicomweb = 2; ClinicalScores scores = 3;"
            + "AnalysisOptions options = 4; optional string request_id = 5");
    assertOneof(AnalyzeRequest.getDescriptor(), "study", "files", "dicomweb");
    assertExactFields(DicomFiles.getDescriptor(), "repeated DicomFile files = 1");
    assertExactFields(DicomFile.getDescriptor(), "string name = 1; bytes content = 2");
    assertExactFields(DicomWebStudy.getDescriptor(),
        "string pacs = 1; string study_instance_uid = 2;"
            + "optional string series_instance_uid = 3");
    assertExactFields(ClinicalScores.getDescriptor(),
        "optional double odi_percent = 1; optional int32 nrs = 2");
  }

  @Test
  void uploadRequest_headerThenChunks() {
    assertExactFields(UploadRequest.getDescriptor(),
        "UploadHeader header = 1; FileChunk chunk = 2");
    assertOneof(UploadRequest.getDescriptor(), "part", "header", "chunk");
    assertExactFields(UploadHeader.getDescriptor(),
        "ClinicalScores scores = 1; AnalysisOptions options = 2;"
            + "optional string request_id = 3; uint32 expected_file_count = 4");
    assertExactFields(FileChunk.getDescriptor(),
        "uint32 file_index = 1; bytes data = 2; bool last_chunk = 3");
  }

  @Test
  void listModels_modelInfo() {
    assertExactFields(ListModelsResponse.getDescriptor(), "repeated ModelInfo models = 1");
    assertExactFields(ModelInfo.getDescriptor(),
        "string name = 1; string version = 2; ModelRole role = 3; string backend = 4;"
            + "string card_summary = 5; string provenance = 6");
  }

  @Test
  void analysisEvent_envelopeAndOneof() {
    assertExactFields(AnalysisEvent.getDescriptor(),
        "string analysis_id = 1; uint32 sequence = 2; double elapsed_ms = 3;"
            + "StudyAccepted accepted = 10; SegmentationDone segmentation = 11;"
            + "DiscResult disc = 12; AnalysisSummary summary = 13; Warning warning = 14");
    assertOneof(AnalysisEvent.getDescriptor(), "event",
        "accepted", "segmentation", "disc", "summary", "warning");
  }

  @Test
  void discResult_fields() {
    assertExactFields(DiscResult.getDescriptor(),
        "DiscLevel level = 1; DiscGeometry geometry = 2; ClassProbabilities cnn = 3;"
            + "ClassProbabilities trees = 4; ClassProbabilities ensemble = 5;"
            + "int32 pfirrmann_grade = 6; Severity severity = 7; DiscClass disc_class = 8;"
            + "float confidence = 9; repeated FeatureContribution contributions = 10;"
            + "TreatmentStratum stratum = 11; string stratum_reason = 12");
    assertExactFields(ClassProbabilities.getDescriptor(),
        "repeated ClassProbability entries = 1; string model_name = 2;"
            + "string model_version = 3");
    assertExactFields(ClassProbability.getDescriptor(),
        "DiscClass disc_class = 1; float probability = 2");
    assertExactFields(FeatureContribution.getDescriptor(),
        "string feature = 1; double value = 2; double contribution = 3");
  }

  @Test
  void discGeometry_mirrorsFeatureEngineRecord() {
    // Same measurements as io.spoils.feature.geometry.DiscGeometry, snake_case with units; the
    // values the record reports as NaN when unmeasurable are optional here.
    assertExactFields(DiscGeometry.getDescriptor(),
        "DiscLevel level = 1; int32 index_from_bottom = 2; double centroid_x_px = 3;"
            + "double centroid_y_px = 4; double tilt_deg = 5; double anterior_height_mm = 6;"
            + "double central_height_mm = 7; double posterior_height_mm = 8;"
            + "double average_height_mm = 9; double average_width_mm = 10;"
            + "double mid_width_mm = 11; double area_mm2 = 12; optional double height_index = 13;"
            + "optional double signal_mean = 14; optional double signal_ratio_to_csf = 15;"
            + "optional double signal_ratio_to_vertebra = 16;"
            + "optional double signal_diff_to_neighbours = 17;"
            + "optional double canal_ap_diameter_mm = 18; optional double volume_mm3 = 19;"
            + "optional uint32 volume_slice_count = 20");
  }

  @Test
  void segmentationAndSeries_fields() {
    assertExactFields(VertebraGeometry.getDescriptor(),
        "VertebraLevel level = 1; int32 index_from_bottom = 2; double centroid_x_px = 3;"
            + "double centroid_y_px = 4; double height_mm = 5; double width_mm = 6;"
            + "double area_mm2 = 7");
    assertExactFields(SegmentationDone.getDescriptor(),
        "repeated DiscLevel disc_levels = 1; repeated VertebraLevel vertebra_levels = 2;"
            + "repeated VertebraGeometry vertebrae = 3; LabelMask mask = 4;"
            + "SliceChoice measured_slice = 5");
    assertExactFields(SliceChoice.getDescriptor(),
        "uint32 slice_index = 1; optional int32 instance_number = 2; string reason = 3;"
            + "optional double score_mm2 = 4; uint32 geometric_centre_index = 5;"
            + "repeated double slice_scores_mm2 = 6; string sop_instance_uid = 7;"
            + "optional uint32 frame_number = 8");
    assertExactFields(LabelMask.getDescriptor(),
        "uint32 width_px = 1; uint32 height_px = 2; bytes png = 3; double row_spacing_mm = 4;"
            + "double column_spacing_mm = 5");
    assertExactFields(StudyAccepted.getDescriptor(),
        "uint32 files_received = 1; uint32 series_found = 2; SeriesInfo series = 3");
    assertExactFields(SeriesInfo.getDescriptor(),
        "Orientation orientation = 1; uint32 rows = 2; uint32 columns = 3;"
            + "double row_spacing_mm = 4; double column_spacing_mm = 5;"
            + "optional double slice_spacing_mm = 6; uint32 slice_count = 7;"
            + "uint32 mid_slice_index = 8;"
            + "string study_instance_uid = 9; string series_instance_uid = 10");
  }

  @Test
  void summaryAndWarning_fields() {
    assertExactFields(AnalysisSummary.getDescriptor(),
        "TreatmentStratum stratum = 1; string stratum_reason = 2; DiscLevel worst_level = 3;"
            + "DiscClass worst_class = 4; ClinicalScores clinical = 5;"
            + "repeated StageTiming timings = 6; repeated ModelInfo models = 7;"
            + "int32 discs_graded = 8; string disclaimer = 9; string report_text = 10");
    assertExactFields(StageTiming.getDescriptor(), "Stage stage = 1; double duration_ms = 2");
    assertExactFields(Warning.getDescriptor(),
        "string code = 1; string message = 2; optional DiscLevel level = 3");
  }

  @Test
  void enums_documentedOrder() {
    assertEnum(DiscLevel.getDescriptor(),
        "DISC_LEVEL_UNSPECIFIED = 0; DISC_LEVEL_T12_L1 = 1; DISC_LEVEL_L1_L2 = 2;"
            + "DISC_LEVEL_L2_L3 = 3; DISC_LEVEL_L3_L4 = 4; DISC_LEVEL_L4_L5 = 5;"
            + "DISC_LEVEL_L5_S1 = 6; DISC_LEVEL_THORACIC = 7");
    assertEnum(VertebraLevel.getDescriptor(),
        "VERTEBRA_LEVEL_UNSPECIFIED = 0; VERTEBRA_LEVEL_L1 = 1; VERTEBRA_LEVEL_L2 = 2;"
            + "VERTEBRA_LEVEL_L3 = 3; VERTEBRA_LEVEL_L4 = 4; VERTEBRA_LEVEL_L5 = 5;"
            + "VERTEBRA_LEVEL_SACRUM = 6; VERTEBRA_LEVEL_THORACIC = 7");
    assertEnum(DiscClass.getDescriptor(),
        "DISC_CLASS_UNSPECIFIED = 0; DISC_CLASS_1L = 1; DISC_CLASS_2L = 2; DISC_CLASS_3L = 3;"
            + "DISC_CLASS_3M = 4; DISC_CLASS_3H = 5; DISC_CLASS_4L = 6; DISC_CLASS_4M = 7;"
            + "DISC_CLASS_4H = 8; DISC_CLASS_5L = 9; DISC_CLASS_5M = 10; DISC_CLASS_5H = 11");
    assertEnum(Severity.getDescriptor(),
        "SEVERITY_UNSPECIFIED = 0; SEVERITY_LOW = 1; SEVERITY_MEDIUM = 2; SEVERITY_HIGH = 3");
    assertEnum(TreatmentStratum.getDescriptor(),
        "TREATMENT_STRATUM_UNSPECIFIED = 0; TREATMENT_STRATUM_CONSERVATIVE = 1;"
            + "TREATMENT_STRATUM_EPIDURAL_STEROID_INJECTION = 2;"
            + "TREATMENT_STRATUM_SURGICAL_CONSULTATION = 3; TREATMENT_STRATUM_NOT_GRADED = 4");
    assertEnum(Stage.getDescriptor(),
        "STAGE_UNSPECIFIED = 0; STAGE_DECODE = 1; STAGE_PREPROCESS = 2; STAGE_SEGMENTATION = 3;"
            + "STAGE_LEVELS = 4; STAGE_GEOMETRY = 5; STAGE_CNN_GRADING = 6; STAGE_TREES = 7;"
            + "STAGE_DECISION = 8; STAGE_TOTAL = 9");
    assertEnum(Orientation.getDescriptor(),
        "ORIENTATION_UNSPECIFIED = 0; ORIENTATION_SAGITTAL = 1; ORIENTATION_AXIAL = 2;"
            + "ORIENTATION_CORONAL = 3; ORIENTATION_OBLIQUE = 4");
    assertEnum(ModelRole.getDescriptor(),
        "MODEL_ROLE_UNSPECIFIED = 0; MODEL_ROLE_SEGMENTATION = 1;"
            + "MODEL_ROLE_DISC_GRADING_CNN = 2; MODEL_ROLE_DISC_GRADING_TREES = 3");
  }
}
