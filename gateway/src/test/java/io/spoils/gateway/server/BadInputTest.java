package io.spoils.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.backend.ModelRepository;
import io.spoils.gateway.backend.OnnxRuntimeBackend;
import io.spoils.gateway.backend.OnnxRuntimeOptions;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.pipeline.AnalysisPipeline;
import io.spoils.gateway.testing.DefaultTrees;
import io.spoils.gateway.testing.ExampleBackend;
import io.spoils.gateway.testing.RealModels;
import io.spoils.proto.v1.AnalysisEvent;
import io.spoils.proto.v1.AnalysisServiceGrpc;
import io.spoils.proto.v1.AnalyzeRequest;
import io.spoils.proto.v1.ClinicalScores;
import io.spoils.proto.v1.DicomFile;
import io.spoils.proto.v1.DicomFiles;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input over HTTP and over gRPC against the real models (triton-models/ on ONNX Runtime): each
 * case must be refused with HTTP 400 (413 when too large) and a problem naming the reason, or
 * INVALID_ARGUMENT (RESOURCE_EXHAUSTED when too large) with the reason; never show the test
 * patient's name or ID in a response or a log line; and leave the server healthy, so that a good
 * study succeeds right after on the same transport. The DICOM files carry a patient name and ID
 * ({@link TestDicom}).
 */
@ExtendWith(DefaultTrees.class)
class BadInputTest {

  /** Two example slices fit, three do not. */
  private static final long LIMIT = 1_500_000;
  private static final int MAX_FILES = 4;
  private static final String BOUNDARY = "bad-input-boundary";

  private static Vertx vertx;
  private static OnnxRuntimeBackend backend;
  private static XgbTreeGrader trees;
  private static TestServer server;
  private static LogCapture logs;
  private static byte[] good;

  /**
   * One kind of bad input.
   *
   * @param name what is wrong
   * @param contentType the HTTP Content-Type
   * @param query the HTTP query, with its {@code ?}, or empty
   * @param body the HTTP body
   * @param grpc the same mistake as a gRPC request
   * @param status the HTTP status expected
   * @param code the gRPC status expected
   * @param reasons a fragment the HTTP detail must contain, then one for the gRPC message
   */
  record Case(String name, String contentType, String query, byte[] body, AnalyzeRequest grpc,
      int status, Status.Code code, String... reasons) {
    @Override
    public String toString() {
      return name;
    }
  }

  @BeforeAll
  static void start(XgbTreeGrader defaultTrees) throws Exception {
    for (String m : List.of(AnalysisPipeline.SEGMENTATION_MODEL, AnalysisPipeline.GRADING_MODEL)) {
      Assumptions.assumeTrue(RealModels.present(RealModelServerTest.MODELS, m),
          "triton-models/" + m + " has no model.onnx; skipping the bad-input tests");
      // each case ends with a good study that must be analysed, which needs trained weights
      Assumptions.assumeFalse(ModelRepository.load(RealModelServerTest.MODELS).untrained(m),
          "triton-models/" + m + " has untrained weights; skipping the bad-input tests");
    }
    logs = LogCapture.start();
    vertx = Vertx.vertx();
    backend = new OnnxRuntimeBackend(vertx, ModelRepository.load(RealModelServerTest.MODELS),
        OnnxRuntimeOptions.defaults());
    SpoilsServerTest.await(backend.ready());
    trees = defaultTrees;
    server = TestServer.start(vertx, backend, trees,
        new ServerOptions("127.0.0.1", 0, 2, 8, LIMIT, MAX_FILES, 60, 2));
    good = TestDicom.withPatient();
    assertTrue(new String(good, StandardCharsets.ISO_8859_1).contains(TestDicom.PATIENT_ID),
        "the test files must carry the patient data the tests look for");
    Logger.getLogger("io.spoils.test").fine("log capture canary");
    assertTrue(logs.text().contains("log capture canary"), "logs are not captured");
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
      SpoilsServerTest.await(backend.close());
      SpoilsServerTest.await(vertx.close());
    }
    if (logs != null) {
      logs.close();
      assertNull(TestDicom.patientDataIn(logs.text()), "patient data in the logs");
    }
  }

  static Stream<Case> cases() throws Exception {
    byte[] slice = TestDicom.withPatient();
    byte[] truncated = Arrays.copyOf(slice, slice.length * 3 / 5);
    byte[] header = Arrays.copyOf(slice, 2048);
    byte[] big = Arrays.copyOf(slice, (int) LIMIT + 1);
    byte[] png = Files.readAllBytes(ExampleBackend.EXAMPLE.resolve("image.png"));
    byte[] notDicom = "PatientName=ZZTESTPATIENT^QUENTIN; this is not DICOM".getBytes();
    String boundary = "multipart/form-data; boundary=" + BOUNDARY;
    return Stream.of(
        dicom("not DICOM", notDicom, "not a DICOM file", "not a DICOM file"),
        dicom("empty body", new byte[0], "empty input", "empty input"),
        dicom("truncated DICOM", truncated, "truncated", "truncated"),
        new Case("over the size limit", "application/dicom", "", big,
            grpc(List.of(slice, slice, slice)), 413, Status.Code.RESOURCE_EXHAUSTED,
            "byte limit", "byte limit"),
        new Case("too many files", boundary, "",
            TestDicom.multipart(BOUNDARY, List.of(header, header, header, header, header)),
            grpc(List.of(header, header, header, header, header)), 413,
            Status.Code.RESOURCE_EXHAUSTED, "at most 4", "at most 4"),
        dicom("CT, not MR", TestDicom.ct(), "not an MR series", "not an MR series"),
        dicom("axial slice, no sagittal series", TestDicom.axial(), "no sagittal series",
            "no sagittal series"),
        dicom("blank image, no spine", TestDicom.noSpine(false), "no spine found",
            "no spine found"),
        dicom("noise image, no spine", TestDicom.noSpine(true), "no spine found",
            "no spine found"),
        scores("ODI out of range", "?odi=140&nrs=5", 140, 5, "ODI must be"),
        scores("NRS out of range", "?odi=40&nrs=11", 40, 11, "NRS must be"),
        scores("ODI not a number", "?odi=abc&nrs=5", Double.NaN, 5, "must be a number",
            "ODI must be"),
        scores("NRS not a number, or missing", "?odi=40&nrs=seven", 40, null,
            "nrs must be an integer", "give both"),
        new Case("unsupported content type", "text/plain", "?odi=40&nrs=5", slice,
            grpc(List.of(png)), 400, Status.Code.INVALID_ARGUMENT, "unsupported Content-Type",
            "not a DICOM file"));
  }

  private static Case dicom(String name, byte[] file, String httpReason, String grpcReason) {
    return new Case(name, "application/dicom", "?odi=45&nrs=6", file, grpc(List.of(file)), 400,
        Status.Code.INVALID_ARGUMENT, httpReason, grpcReason);
  }

  private static Case scores(String name, String query, double odi, Integer nrs,
      String... reasons) {
    ClinicalScores.Builder s = ClinicalScores.newBuilder().setOdiPercent(odi);
    if (nrs != null) {
      s.setNrs(nrs);
    }
    AnalyzeRequest r = grpc(List.of(good())).toBuilder().setScores(s).build();
    return new Case(name, "application/dicom", query, good(), r, 400,
        Status.Code.INVALID_ARGUMENT, reasons.length == 1 ? new String[] {reasons[0], reasons[0]}
            : reasons);
  }

  private static byte[] good() {
    try {
      return TestDicom.withPatient();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static AnalyzeRequest grpc(List<byte[]> files) {
    DicomFiles.Builder b = DicomFiles.newBuilder();
    files.forEach(f -> b.addFiles(DicomFile.newBuilder().setName("slice.dcm")
        .setContent(ByteString.copyFrom(f))));
    return AnalyzeRequest.newBuilder().setFiles(b)
        .setScores(ClinicalScores.newBuilder().setOdiPercent(45).setNrs(6)).build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void httpAnalyze_badInput_problemNamingReasonThenHealthy(Case c) throws Exception {
    HttpResponse<String> response = server.send(server.post("/v1/analyses" + c.query(),
        c.contentType(), c.body()).build());
    SpoilsServerTest.assertProblem(response, c.status());
    String detail = new JsonObject(response.body()).getString("detail");
    assertContains(detail, c.reasons()[0]);
    assertNull(TestDicom.patientDataIn(response.body()), response.body());
    assertNull(TestDicom.patientDataIn(response.headers().toString()));
    assertHttpHealthy();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void grpcAnalyze_badInput_statusNamingReasonThenHealthy(Case c) throws Exception {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> stub().analyze(c.grpc()).forEachRemaining(x -> { }));
    assertEquals(c.code(), e.getStatus().getCode(), e.getStatus().toString());
    assertContains(e.getStatus().getDescription(), c.reasons()[1]);
    assertNull(TestDicom.patientDataIn(e.getStatus().toString()));
    assertNull(TestDicom.patientDataIn(String.valueOf(e.getTrailers())));
    assertGrpcHealthy();
  }

  /**
   * Real-world bad files from pydicom's corpus, over both transports; their own patient names and
   * IDs (read here with PixelMed) must not come back either.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "MR_truncated.dcm | truncated",
      "rtplan.dcm | no pixel data",
      "SC_rgb_small_odd.dcm | colour",
      "CT_small.dcm | no sagittal series",
      "JPEG2000.dcm | cannot be decoded"})
  void httpAndGrpcAnalyze_corpusFile_refusedWithoutItsPatientData(String file, String reason)
      throws Exception {
    Path corpus = TestDicom.pydicomCorpus();
    Assumptions.assumeTrue(corpus != null && Files.isDirectory(corpus),
        "pydicom test corpus not found (system property spoils.data.pydicom); skipping");
    byte[] bytes = Files.readAllBytes(corpus.resolve(file));
    List<String> patient = TestDicom.patientOf(bytes);
    HttpResponse<String> response = server.send(server.post("/v1/analyses", "application/dicom",
        bytes).build());
    SpoilsServerTest.assertProblem(response, 400);
    assertContains(new JsonObject(response.body()).getString("detail"), reason);
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> stub().analyze(grpc(List.of(bytes))).forEachRemaining(x -> { }));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertContains(e.getStatus().getDescription(), reason);
    for (String p : patient) {
      java.util.regex.Pattern word = java.util.regex.Pattern.compile(
          "\\b" + java.util.regex.Pattern.quote(p) + "\\b");
      for (String text : List.of(response.body(), e.getStatus().toString(), logs.text())) {
        assertTrue(!word.matcher(text).find(), "patient data of " + file + " leaked: " + p);
      }
    }
    assertHttpHealthy();
    assertGrpcHealthy();
  }

  private static AnalysisServiceGrpc.AnalysisServiceBlockingStub stub() {
    return AnalysisServiceGrpc.newBlockingStub(server.channel)
        .withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  private static void assertContains(String text, String fragment) {
    assertTrue(text != null && text.toLowerCase(Locale.ROOT)
        .contains(fragment.toLowerCase(Locale.ROOT)), "'" + text + "' should name '" + fragment
        + "'");
  }

  private static void assertHttpHealthy() throws Exception {
    assertEquals(200, server.get("/health/ready").statusCode());
    HttpResponse<String> ok = server.send(server.post("/v1/analyses?odi=45&nrs=6",
        "application/dicom", good).build());
    assertEquals(200, ok.statusCode(), ok.body());
    String[] lines = ok.body().split("\n");
    assertTrue(new JsonObject(lines[lines.length - 1]).containsKey("summary"), ok.body());
    assertNull(TestDicom.patientDataIn(ok.body()));
  }

  private static void assertGrpcHealthy() {
    List<AnalysisEvent> events = new ArrayList<>();
    stub().analyze(grpc(List.of(good))).forEachRemaining(events::add);
    assertTrue(events.get(events.size() - 1).hasSummary());
    assertNull(TestDicom.patientDataIn(events.toString()));
  }
}
