package io.spoils.gateway.output.store;

import com.google.protobuf.ByteString;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.config.IngestOptions;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.server.SpoilsServer;
import io.spoils.gateway.service.AnalysisService;
import io.spoils.gateway.testing.ExampleBackend;
import io.spoils.proto.v1.AnalysisEvent;
import io.spoils.proto.v1.AnalysisOptions;
import io.spoils.proto.v1.AnalysisServiceGrpc;
import io.spoils.proto.v1.AnalyzeRequest;
import io.spoils.proto.v1.DicomFile;
import io.spoils.proto.v1.DicomFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A gateway for store tests: the example slice's fake backend, the given ingest options (PACS and
 * store destinations), gRPC on a free local port; {@link #analyze} sends the example slice.
 */
public final class StoreTestServer implements AutoCloseable {

  /** The bundled example slice (relative to the gateway module). */
  public static final Path SLICE = Path.of("examples/spider/slice.dcm");
  /** Comprehensive SR Storage, as the SR writer writes. */
  public static final String COMPREHENSIVE_SR = "1.2.840.10008.5.1.4.1.1.88.33";
  /** Segmentation Storage. */
  public static final String SEGMENTATION = "1.2.840.10008.5.1.4.1.1.66.4";

  private final SpoilsServer server;
  private final ManagedChannel channel;

  private StoreTestServer(SpoilsServer server) {
    this.server = server;
    this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext()
        .build();
  }

  /** Starts a gateway whose ingest (PACS, listener, store) is {@code ingest}. */
  public static StoreTestServer start(Vertx vertx, XgbTreeGrader trees, IngestOptions ingest)
      throws Exception {
    AnalysisService service = new AnalysisService(vertx, new ExampleBackend(7, 16).withDeadlines(vertx), "fake",
        trees, ServerOptions.defaults().withHost("127.0.0.1").withPort(0).withIngest(ingest));
    return new StoreTestServer(await(SpoilsServer.start(vertx, service)));
  }

  /** The running gateway (its HTTP port, its C-STORE listener's port). */
  public SpoilsServer server() {
    return server;
  }

  /** Analyses the example slice over gRPC, with {@code storeResults}; every event. */
  public List<AnalysisEvent> analyze(boolean storeResults) throws Exception {
    AnalyzeRequest request = AnalyzeRequest.newBuilder()
        .setFiles(DicomFiles.newBuilder().addFiles(DicomFile.newBuilder().setName("slice.dcm")
            .setContent(ByteString.copyFrom(Files.readAllBytes(SLICE)))))
        .setOptions(AnalysisOptions.newBuilder().setStoreResults(storeResults)).build();
    List<AnalysisEvent> events = new ArrayList<>();
    stub().analyze(request).forEachRemaining(events::add);
    return events;
  }

  /** A blocking stub on the gateway, 90 s deadline. */
  public AnalysisServiceGrpc.AnalysisServiceBlockingStub stub() {
    return AnalysisServiceGrpc.newBlockingStub(channel).withDeadlineAfter(90, TimeUnit.SECONDS);
  }

  /** The warnings with {@code code}. */
  public static List<String> warnings(List<AnalysisEvent> events, String code) {
    return events.stream().filter(AnalysisEvent::hasWarning).map(AnalysisEvent::getWarning)
        .filter(w -> w.getCode().equals(code)).map(w -> w.getMessage()).toList();
  }

  /** The example slice's Study Instance UID. */
  public static String exampleStudyUid() throws Exception {
    AttributeList header = new AttributeList();
    header.read(SLICE.toString());
    return Attribute.getSingleStringValueOrEmptyString(header, TagFromName.StudyInstanceUID);
  }

  /** The header of a DICOM Part 10 file. */
  public static AttributeList read(byte[] dicom) throws Exception {
    AttributeList list = new AttributeList();
    list.read(new com.pixelmed.dicom.DicomInputStream(new DataInputStream(
        new ByteArrayInputStream(dicom))));
    return list;
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    await(server.close());
  }
}
