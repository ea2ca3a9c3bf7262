package io.spoils.gateway.output.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.config.IngestOptions;
import io.spoils.gateway.config.StoreOptions;
import io.spoils.gateway.testing.DefaultTrees;
import io.spoils.proto.v1.AnalysisEvent;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Results back to the PACS by C-STORE, received by dcmtk's {@code storescp} into a temporary
 * folder: the example slice is analysed with {@code store_results}, then the received SR and SEG
 * are read and checked. A destination nobody listens on gives RESULTS_NOT_STORED after its tries.
 * Skipped when storescp is not installed.
 */
@ExtendWith(VertxExtension.class)
@ExtendWith(DefaultTrees.class)
class ResultStoreCStoreTest {

  private static final Path STORESCP = Path.of("/usr/bin/storescp");
  private static final Path STORESCU = Path.of("/usr/bin/storescu");
  private static final String AE = "SPOILSTEST";

  @TempDir
  static Path dir;
  private static Process storescp;
  private static int port;
  private static XgbTreeGrader trees;

  @BeforeAll
  static void startStorescp(XgbTreeGrader defaultTrees) throws Exception {
    assumeTrue(Files.isExecutable(STORESCP), "dcmtk's storescp is not installed (apt-get install "
        + "dcmtk; bin/setup does): skipping");
    port = freePort();
    Files.createDirectories(dir.resolve("received"));
    storescp = new ProcessBuilder(STORESCP.toString(), "-aet", AE, "-od",
        dir.resolve("received").toString(), String.valueOf(port)).redirectErrorStream(true)
        .redirectOutput(dir.resolve("storescp.log").toFile()).start();
    awaitListening(port);
    trees = defaultTrees;
  }

  @AfterAll
  static void stop() throws Exception {
    if (storescp != null) {
      storescp.destroy();
      storescp.waitFor(5, TimeUnit.SECONDS);
    }
  }

  @BeforeEach
  void emptyReceived() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("received"))) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
  }

  private static IngestOptions storingToScp() {
    return IngestOptions.defaults().withStore(StoreOptions.defaults()
        .withAe(new StoreOptions.Ae(AE, "127.0.0.1", port)));
  }

  /** The SOP classes received by storescp, sorted, each file checked to be in the example study. */
  private static List<String> receivedClasses() throws Exception {
    List<String> classes = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir.resolve("received"))) {
      for (Path f : files.toList()) {
        AttributeList header = StoreTestServer.read(Files.readAllBytes(f));
        assertEquals(StoreTestServer.exampleStudyUid(), Attribute
            .getSingleStringValueOrEmptyString(header, TagFromName.StudyInstanceUID));
        classes.add(Attribute.getSingleStringValueOrEmptyString(header, TagFromName.SOPClassUID));
      }
    }
    return classes.stream().sorted().toList();
  }

  @Test
  void httpStoreResults_storescp_storedWarningBeforeSummary(Vertx vertx) throws Exception {
    String body;
    try (StoreTestServer server = StoreTestServer.start(vertx, trees, storingToScp())) {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.server().port()
              + "/v1/analyses?store_results=true"))
          .header("Content-Type", "application/dicom").timeout(Duration.ofSeconds(90))
          .POST(HttpRequest.BodyPublishers.ofFile(StoreTestServer.SLICE)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      body = r.body();
    }
    String[] lines = body.strip().split("\n");
    assertTrue(lines[lines.length - 2].contains(ResultStore.STORED), body);
    assertTrue(lines[lines.length - 1].contains("\"summary\""), body);
    assertEquals(List.of(StoreTestServer.SEGMENTATION, StoreTestServer.COMPREHENSIVE_SR),
        receivedClasses());
  }

  @Test
  void pacsStudies_receivedByCStore_storedWithoutBeingAsked(Vertx vertx) throws Exception {
    assumeTrue(Files.isExecutable(STORESCU), "dcmtk's storescu is not installed: skipping");
    IngestOptions ingest = storingToScp().withDicomListener(0, "SPOILS");
    ingest = ingest.withStore(ingest.store().withPacsStudies(true));
    try (StoreTestServer server = StoreTestServer.start(vertx, trees, ingest)) {
      Process p = new ProcessBuilder(STORESCU.toString(), "-aec", "SPOILS", "-to", "20",
          "127.0.0.1", Integer.toString(server.server().dicomPort().getAsInt()),
          StoreTestServer.SLICE.toString()).redirectErrorStream(true)
          .redirectOutput(dir.resolve("storescu.log").toFile()).start();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "storescu did not finish");
      assertEquals(0, p.exitValue(), Files.readString(dir.resolve("storescu.log")));
      String events = awaitReceivedEvents(server.server().port());
      assertTrue(events.contains(ResultStore.STORED), events);
    }
    assertEquals(List.of(StoreTestServer.SEGMENTATION, StoreTestServer.COMPREHENSIVE_SR),
        receivedClasses());
  }

  /** The events of the first received analysis once it is done (polls, bounded). */
  private static String awaitReceivedEvents(int httpPort) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String last = "";
    while (System.nanoTime() < end) {
      last = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
          + "/v1/received")).build(), HttpResponse.BodyHandlers.ofString()).body();
      io.vertx.core.json.JsonArray list = new io.vertx.core.json.JsonObject(last)
          .getJsonArray("analyses");
      if (!list.isEmpty() && !list.getJsonObject(0).getString("state").equals("receiving")
          && !list.getJsonObject(0).getString("state").equals("analysing")) {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
            + "/v1/received/" + list.getJsonObject(0).getString("id"))).build(),
            HttpResponse.BodyHandlers.ofString()).body();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no finished received analysis within 60 s: " + last);
  }

  @Test
  void storeResults_storescp_srAndSegReceived(Vertx vertx) throws Exception {
    List<AnalysisEvent> events;
    try (StoreTestServer server = StoreTestServer.start(vertx, trees, storingToScp())) {
      events = server.analyze(true);
    }
    assertEquals(List.of("The DICOM SR and SEG were stored on AE " + AE + "@127.0.0.1:" + port
        + "."), StoreTestServer.warnings(events, ResultStore.STORED), "events: " + events);
    assertEquals(List.of(StoreTestServer.SEGMENTATION, StoreTestServer.COMPREHENSIVE_SR),
        receivedClasses());
  }

  @Test
  void storeResults_nobodyListening_notStoredAfterTries(Vertx vertx) throws Exception {
    IngestOptions ingest = IngestOptions.defaults().withStore(StoreOptions.defaults()
        .withAe(new StoreOptions.Ae(AE, "127.0.0.1", freePort())).withRetries(10, 2));
    List<AnalysisEvent> events;
    try (StoreTestServer server = StoreTestServer.start(vertx, trees, ingest)) {
      events = server.analyze(true);
    }
    List<String> notStored = StoreTestServer.warnings(events, ResultStore.NOT_STORED);
    assertEquals(1, notStored.size(), "events: " + events);
    assertTrue(notStored.get(0).startsWith("The DICOM SR and SEG were not stored: AE " + AE),
        notStored.get(0));
    assertTrue(events.get(events.size() - 1).hasSummary());
  }

  @Test
  void storeResults_peerAcceptsButNeverAnswers_notStoredAtTheDeadline(Vertx vertx)
      throws Exception {
    try (ServerSocket hung = new ServerSocket(0)) {
      List<Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            held.add(hung.accept());
          }
        } catch (IOException closed) {
          // the test is over
        }
      }, "hung-peer");
      acceptor.setDaemon(true);
      acceptor.start();
      IngestOptions ingest = IngestOptions.defaults().withStore(StoreOptions.defaults()
          .withAe(new StoreOptions.Ae(AE, "127.0.0.1", hung.getLocalPort())).withRetries(2, 3));
      List<AnalysisEvent> events;
      try (StoreTestServer server = StoreTestServer.start(vertx, trees, ingest)) {
        events = server.analyze(true);
      }
      List<String> notStored = StoreTestServer.warnings(events, ResultStore.NOT_STORED);
      assertEquals(List.of("The DICOM SR and SEG were not stored: AE " + AE + "@127.0.0.1:"
          + hung.getLocalPort() + " did not finish before the store deadline."), notStored);
      assertTrue(events.get(events.size() - 1).hasSummary());
      for (Socket s : held) {
        s.close();
      }
    }
  }

  @Test
  void analyze_withoutStoreResults_nothingStoredNoWarning(Vertx vertx) throws Exception {
    IngestOptions ingest = IngestOptions.defaults().withStore(StoreOptions.defaults()
        .withAe(new StoreOptions.Ae(AE, "127.0.0.1", freePort())));
    List<AnalysisEvent> events;
    try (StoreTestServer server = StoreTestServer.start(vertx, trees, ingest)) {
      events = server.analyze(false);
    }
    assertTrue(StoreTestServer.warnings(events, ResultStore.NOT_STORED).isEmpty());
    assertTrue(StoreTestServer.warnings(events, ResultStore.STORED).isEmpty());
  }

  @Test
  void storeResults_noDestination_invalidArgument(Vertx vertx) throws Exception {
    try (StoreTestServer server = StoreTestServer.start(vertx, trees, IngestOptions.defaults())) {
      io.grpc.StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(
          io.grpc.StatusRuntimeException.class, () -> server.analyze(true));
      assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
      assertTrue(e.getStatus().getDescription().contains("no store destination"));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void awaitListening(int port) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < end) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("storescp did not listen within 10 s");
  }
}
