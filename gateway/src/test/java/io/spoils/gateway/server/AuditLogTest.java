package io.spoils.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.pixelmed.dicom.TagFromName;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.config.AuthOptions;
import io.spoils.gateway.config.HostOptions;
import io.spoils.gateway.config.SecurityOptions;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.config.TlsOptions;
import io.spoils.gateway.service.AnalysisService;
import io.spoils.gateway.service.AuditLog;
import io.spoils.gateway.testing.DefaultTrees;
import io.spoils.gateway.testing.ExampleBackend;
import io.spoils.proto.v1.AnalysisEvent;
import io.spoils.proto.v1.AnalysisServiceGrpc;
import io.spoils.proto.v1.AnalyzeRequest;
import io.spoils.proto.v1.DicomFile;
import io.spoils.proto.v1.DicomFiles;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit log over a full analysis on each transport, with patient data planted in the DICOM
 * (name, ID, birth date), a file name and a bearer token: one audit line per analysis with its
 * request id, analysis id, principal, entry point, outcome, duration and disc count; the access
 * line carries the same request id; and no planted string reaches any log record of any logger
 * at any level (root at ALL while the analyses run), but the test's own gRPC client's.
 */
@ExtendWith(DefaultTrees.class)
class AuditLogTest {

  private static final String TOKEN = "t0ken-pl4nted-s3cret-42";
  private static final String NAME = "ZZAUDITNAME^PLANTEDGIVEN";
  private static final String ID = "PID-AUDIT-90417";
  private static final String BIRTH = "19230417";
  private static final String FILE = "zzplanted-file-name.dcm";
  private static final List<String> PLANTED = List.of("ZZAUDITNAME", "PLANTEDGIVEN", ID, BIRTH,
      "zzplanted-file-name", TOKEN);

  private static final String CLIENT = "io.grpc.netty.shaded.";
  private static final List<String> records = new CopyOnWriteArrayList<>();
  private static final SimpleFormatter FORMAT = new SimpleFormatter();
  private static final Handler CAPTURE = new Handler() {
    @Override
    public void publish(LogRecord r) {
      // the test's own gRPC client (grpc-java) logs its outbound headers at FINE
      if (r.getLoggerName() == null || !r.getLoggerName().startsWith(CLIENT)) {
        records.add(r.getLoggerName() + " " + FORMAT.format(r));
      }
    }

    @Override
    public void flush() { }

    @Override
    public void close() { }
  };
  /** Strong references, so that their configuration stays while the test runs. */
  private static final List<Logger> LOGGERS = List.of(Logger.getLogger(""),
      Logger.getLogger(AccessLog.LOGGER), Logger.getLogger(AuditLog.LOGGER));
  private static final List<Level> levels = new ArrayList<>();

  private static Vertx vertx;
  private static SpoilsServer server;
  private static ManagedChannel channel;
  private static byte[] dicom;

  @BeforeAll
  static void start(XgbTreeGrader trees, @TempDir Path dir) throws Exception {
    Path tokens = dir.resolve("tokens");
    Files.writeString(tokens, "sha256:" + HexFormat.of().formatHex(MessageDigest
        .getInstance("SHA-256").digest(TOKEN.getBytes(StandardCharsets.UTF_8))) + " analyze\n");
    dicom = TestDicom.edit(TestDicom.example(), l -> {
      TestDicom.put(l, TagFromName.PatientName, NAME);
      TestDicom.put(l, TagFromName.PatientID, ID);
      TestDicom.put(l, TagFromName.PatientBirthDate, BIRTH);
    });
    CAPTURE.setLevel(Level.ALL);
    for (Logger l : LOGGERS) {
      levels.add(l.getLevel());
      l.addHandler(CAPTURE);
    }
    LOGGERS.get(0).setLevel(Level.ALL);
    vertx = Vertx.vertx();
    AnalysisService service = new AnalysisService(vertx, new ExampleBackend(), "test", trees,
        ServerOptions.defaults().withHost("127.0.0.1").withPort(0));
    SecurityOptions security = new SecurityOptions(new AuthOptions(Optional.of(tokens),
        Optional.empty(), Optional.empty(), Optional.empty(), false, false), TlsOptions.none(),
        HostOptions.any());
    server = SpoilsServerTest.await(SpoilsServer.start(vertx, service, security));
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext()
        .build();
  }

  @AfterAll
  static void stop() throws Exception {
    for (int i = 0; i < LOGGERS.size(); i++) {
      LOGGERS.get(i).removeHandler(CAPTURE);
      LOGGERS.get(i).setLevel(levels.get(i));
    }
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    SpoilsServerTest.await(server.close());
    vertx.close();
  }

  /** The JSON line of {@code logger} with {@code requestId}, waiting for it up to 10 s. */
  private static JsonObject line(String logger, String requestId) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      for (String r : records) {
        int start = r.indexOf('{');
        if (r.startsWith(logger + " ") && start > 0) {
          JsonObject j = new JsonObject(r.substring(start, r.lastIndexOf('}') + 1));
          if (requestId.equals(j.getString("request_id"))) {
            return j;
          }
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no " + logger + " line for " + requestId);
  }

  private static void assertNothingPlanted() {
    assertFalse(records.isEmpty());
    for (String r : records) {
      for (String p : PLANTED) {
        assertFalse(r.contains(p), "planted \"" + p + "\" logged: " + r);
      }
    }
  }

  private static void assertAudit(JsonObject audit, String entryPoint) {
    assertEquals("OK", audit.getString("outcome"), audit.encode());
    assertEquals(entryPoint, audit.getString("entry_point"));
    assertTrue(audit.getString("principal").startsWith("token:"), audit.encode());
    assertEquals(36, audit.getString("analysis_id").length(), audit.encode());
    assertTrue(audit.getInteger("discs") > 0, audit.encode());
    assertTrue(audit.getDouble("duration_ms") > 0, audit.encode());
    assertEquals(200, audit.getInteger("http_status"));
  }

  @Test
  void http_fullAnalysis_auditedWithoutPatientDataFileNameOrToken() throws Exception {
    String boundary = "b0undary";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; "
        + "filename=\"" + FILE + "\"\r\nContent-Type: application/dicom\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    body.writeBytes(dicom);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
        .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
            + "/v1/analyses?odi=45&nrs=6")).timeout(Duration.ofSeconds(60))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .header("Authorization", "Bearer " + TOKEN).header("X-Request-Id", "req-http-audit")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("\"summary\""), r.body());
    assertAudit(line(AuditLog.LOGGER, "req-http-audit"), "POST /v1/analyses");
    JsonObject access = line(AccessLog.LOGGER, "req-http-audit");
    assertEquals(200, access.getInteger("status"));
    assertNothingPlanted();
  }

  @Test
  void grpc_fullAnalysis_auditsTheMessagesRequestIdWithoutPatientData() throws Exception {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer " + TOKEN);
    var stub = AnalysisServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60,
        TimeUnit.SECONDS).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    Iterator<AnalysisEvent> events = stub.analyze(AnalyzeRequest.newBuilder()
        .setFiles(DicomFiles.newBuilder().addFiles(DicomFile.newBuilder().setName(FILE)
            .setContent(ByteString.copyFrom(dicom))))
        .setRequestId("req-grpc-audit").build());
    boolean summary = false;
    while (events.hasNext()) {
      summary |= events.next().hasSummary();
    }
    assertTrue(summary);
    assertAudit(line(AuditLog.LOGGER, "req-grpc-audit"),
        "/spoils.v1.AnalysisService/Analyze");
    JsonObject access = line(AccessLog.LOGGER, "req-grpc-audit");
    assertEquals(0, access.getInteger("status"), access.encode());
    assertNothingPlanted();
  }

  @Test
  void grpcUpload_fullAnalysis_auditsTheHeadersRequestId() throws Exception {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer " + TOKEN);
    var stub = AnalysisServiceGrpc.newStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    java.util.concurrent.CompletableFuture<Boolean> done = new java.util.concurrent
        .CompletableFuture<>();
    boolean[] summary = {false};
    var upload = stub.analyzeUpload(new io.grpc.stub.StreamObserver<AnalysisEvent>() {
      @Override
      public void onNext(AnalysisEvent e) {
        summary[0] |= e.hasSummary();
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        done.complete(summary[0]);
      }
    });
    upload.onNext(io.spoils.proto.v1.UploadRequest.newBuilder().setHeader(
        io.spoils.proto.v1.UploadHeader.newBuilder().setRequestId("req-upload-audit")
            .setExpectedFileCount(1)).build());
    upload.onNext(io.spoils.proto.v1.UploadRequest.newBuilder().setChunk(
        io.spoils.proto.v1.FileChunk.newBuilder().setFileIndex(0)
            .setData(ByteString.copyFrom(dicom)).setLastChunk(true)).build());
    upload.onCompleted();
    assertTrue(done.get(60, TimeUnit.SECONDS));
    assertAudit(line(AuditLog.LOGGER, "req-upload-audit"),
        "/spoils.v1.AnalysisService/AnalyzeUpload");
    assertEquals(0, line(AccessLog.LOGGER, "req-upload-audit").getInteger("status"));
    assertNothingPlanted();
  }
}
