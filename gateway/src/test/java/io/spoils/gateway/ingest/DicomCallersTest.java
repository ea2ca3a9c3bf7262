package io.spoils.gateway.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.PersonNameAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import io.spoils.feature.InvalidInputException;
import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.config.DicomCallerOptions;
import io.spoils.gateway.config.IngestOptions;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.server.SpoilsServer;
import io.spoils.gateway.service.AnalysisService;
import io.spoils.gateway.testing.DefaultTrees;
import io.spoils.gateway.testing.ExampleBackend;
import io.spoils.gateway.testing.Storescu;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The C-STORE listener's calling AE title allow-list with dcmtk's {@code storescu}: a listed
 * caller stores (through the already-read association request), an unlisted title and a listed
 * one from the wrong host are rejected with A-ASSOCIATE-RJ "calling AE title not recognized",
 * and each rejection is logged with the title and address only. Skipped without storescu.
 */
@ExtendWith(DefaultTrees.class)
class DicomCallersTest {

  private static final String PATIENT = "ZZREJECTED^PLANTED";
  private static final Logger LISTENER = Logger.getLogger(DicomListener.class.getName());
  private static final List<String> logged = new CopyOnWriteArrayList<>();
  private static final Handler CAPTURE = new Handler() {
    @Override
    public void publish(LogRecord r) {
      logged.add(r.getMessage());
    }

    @Override
    public void flush() { }

    @Override
    public void close() { }
  };

  @TempDir
  static Path dir;
  private static XgbTreeGrader trees;
  private static Vertx vertx;
  private static SpoilsServer server;
  private static Path slice;

  @BeforeAll
  static void start(XgbTreeGrader defaultTrees) throws Exception {
    assumeTrue(Storescu.installed(), "dcmtk's storescu is not installed (apt-get install "
        + "dcmtk; bin/setup does): skipping");
    AttributeList list = new AttributeList();
    list.read(Path.of("examples/spider/slice.dcm").toString());
    PersonNameAttribute name = new PersonNameAttribute(TagFromName.PatientName);
    name.addValue(PATIENT);
    list.put(name);
    slice = dir.resolve("slice.dcm");
    list.write(slice.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
    LISTENER.addHandler(CAPTURE);
    trees = defaultTrees;
    vertx = Vertx.vertx();
    IngestOptions ingest = IngestOptions.defaults().withDicomListener(0, "SPOILS")
        .withDicomCallers(DicomCallerOptions.parse("MODALITY1, CT2@127.0.0.1, MR3@192.0.2.7"));
    AnalysisService service = new AnalysisService(vertx,
        new ExampleBackend(7, 16).withDeadlines(vertx), "fake", trees,
        ServerOptions.defaults().withHost("127.0.0.1").withPort(0).withIngest(ingest));
    server = SpoilsServer.start(vertx, service).toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    LISTENER.removeHandler(CAPTURE);
    if (server != null) {
      server.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      vertx.close();
    }
  }

  /** Runs storescu as {@code callingAe} (bounded): its exit code and output. */
  private static Map.Entry<Integer, String> storescu(String callingAe) throws Exception {
    return Storescu.run(dir.resolve("storescu-" + callingAe + ".log"), List.of("-aet", callingAe,
        "-aec", "SPOILS", "-to", "20", "127.0.0.1",
        Integer.toString(server.dicomPort().getAsInt()), slice.toString()));
  }

  private static void assertRejected(String callingAe) throws Exception {
    Map.Entry<Integer, String> r = storescu(callingAe);
    assertNotEquals(0, r.getKey(), r.getValue());
    assertTrue(r.getValue().contains("Association Rejected"), r.getValue());
    assertTrue(r.getValue().contains("Calling AE Title Not Recognized"), r.getValue());
    String line = logged.stream().filter(l -> l.contains("\"" + callingAe + "\"")).findFirst()
        .orElseThrow(() -> new AssertionError("no rejection logged for " + callingAe));
    assertTrue(line.contains("from 127.0.0.1"), line);
    for (String l : logged) {
      assertFalse(l.contains("ZZREJECTED") || l.contains("slice.dcm"), l);
    }
  }

  @Test
  void listedCaller_stores() throws Exception {
    Map.Entry<Integer, String> r = storescu("MODALITY1");
    assertEquals(0, r.getKey(), r.getValue());
    HttpResponse<String> received = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + "/v1/received")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertFalse(new JsonObject(received.body()).getJsonArray("analyses").isEmpty(),
        received.body());
  }

  @Test
  void listedCallerFromItsHost_stores() throws Exception {
    Map.Entry<Integer, String> r = storescu("CT2");
    assertEquals(0, r.getKey(), r.getValue());
  }

  @Test
  void unlistedCaller_rejectedAndLoggedWithoutPatientData() throws Exception {
    assertRejected("INTRUDER");
  }

  @Test
  void listedCallerFromAnotherHost_rejected() throws Exception {
    assertRejected("MR3");
  }

  @Test
  void parse_badEntries_refusedWithReason() {
    assertThrows(InvalidInputException.class,
        () -> DicomCallerOptions.parse("THIS_TITLE_IS_TOO_LONG"));
    assertThrows(InvalidInputException.class, () -> DicomCallerOptions.parse("AE@bad host"));
    assertEquals(2, DicomCallerOptions.parse(new io.vertx.core.json.JsonArray()
        .add("A").add("B@pacs.example.org")).allowed().size());
  }
}
