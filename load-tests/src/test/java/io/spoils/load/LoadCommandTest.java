package io.spoils.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.backend.simulated.SimulatedBackend;
import io.spoils.gateway.backend.simulated.SimulatedOptions;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.server.SpoilsServer;
import io.spoils.gateway.service.AnalysisService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The kit end to end: {@code spoils load} against an in-process server with the simulated backend
 * (a few ms per model call) over real sockets, both protocols, closed and open model.
 */
class LoadCommandTest {

  static final Path SLICE = Path.of("../gateway/examples/spider/slice.dcm");

  private static Vertx vertx;
  private static XgbTreeGrader trees;
  private SpoilsServer server;

  @TempDir
  Path dir;

  @BeforeAll
  static void setUp() {
    System.setProperty("java.awt.headless", "true");
    vertx = Vertx.vertx();
    trees = XgbTreeGrader.loadDefault();
  }

  @AfterAll
  static void tearDown() throws Exception {
    trees.close();
    await(vertx.close());
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      await(server.close());
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private String serve(int maxInFlight, int maxQueued) throws Exception {
    ServerOptions options = ServerOptions.defaults().withHost("127.0.0.1").withPort(0)
        .withAdmission(maxInFlight, maxQueued).withSimulated(3, 0);
    SimulatedBackend backend = new SimulatedBackend(vertx, SimulatedOptions.of(3, 0));
    server = await(SpoilsServer.start(vertx,
        new AnalysisService(vertx, backend, SimulatedBackend.LABEL, trees, options)));
    return "127.0.0.1:" + server.port();
  }

  private JsonObject load(int exitCode, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--out", dir.toString(), "--format", "json", SLICE.toString()));
    assertEquals(exitCode, new CommandLine(new LoadCommand()).execute(all.toArray(String[]::new)));
    return new JsonObject(Files.readString(dir.resolve("report.json")));
  }

  @Test
  void load_grpcRequests_countsPercentilesStagesAndFiles() throws Exception {
    JsonObject r = load(0, "--target", serve(4, 16), "--concurrency", "3", "--requests", "9",
        "--odi", "45", "--nrs", "6");
    assertEquals(LoadReport.keys(), List.copyOf(r.fieldNames()));
    assertEquals("grpc", r.getString("protocol"));
    assertEquals("closed", r.getString("model"));
    JsonObject req = r.getJsonObject("requests");
    assertEquals(9, req.getLong("sent"));
    assertEquals(9, req.getLong("ok"), r.encodePrettily());
    assertEquals(9, r.getJsonObject("statusCodes").getLong("OK"));
    assertOrdered(r.getJsonObject("latencyMs"));
    assertOrdered(r.getJsonObject("firstDiscMs"));
    assertTrue(r.getJsonObject("firstDiscMs").getDouble("p50")
        <= r.getJsonObject("latencyMs").getDouble("p50"));
    // two model calls of 3 ms each: no study can be faster than 6 ms
    assertTrue(r.getJsonObject("latencyMs").getDouble("min") >= 6, r.encodePrettily());
    JsonObject total = r.getJsonObject("serverStagesMs").getJsonObject("STAGE_TOTAL");
    assertEquals(9, total.getLong("count"));
    assertTrue(r.getDouble("throughputPerSecond") > 0);
    assertFiles();
  }

  @Test
  void load_httpRequests_countsAndStages() throws Exception {
    JsonObject r = load(0, "--target", serve(4, 16), "--protocol", "http", "--concurrency", "2",
        "--requests", "6");
    assertEquals("http", r.getString("protocol"));
    assertEquals(6, r.getJsonObject("requests").getLong("ok"), r.encodePrettily());
    assertOrdered(r.getJsonObject("latencyMs"));
    assertEquals(6, r.getJsonObject("firstDiscMs").getLong("count"));
    assertEquals(6, r.getJsonObject("serverStagesMs").getJsonObject("STAGE_DECODE")
        .getLong("count"));
    assertFiles();
  }

  @Test
  void load_grpcOverCapacity_rejectionsCountedByCode() throws Exception {
    JsonObject r = load(0, "--target", serve(1, 0), "--concurrency", "4", "--requests", "16");
    JsonObject req = r.getJsonObject("requests");
    assertEquals(16, req.getLong("completed"));
    assertTrue(req.getLong("rejected") > 0, r.encodePrettily());
    assertTrue(req.getLong("ok") > 0, r.encodePrettily());
    assertEquals(req.getLong("rejected"), r.getJsonObject("statusCodes")
        .getLong("RESOURCE_EXHAUSTED"));
    assertEquals(req.getLong("rejected"), r.getJsonObject("rejectedLatencyMs").getLong("count"));
    assertEquals(0, r.getJsonObject("errorsByCode").size());
  }

  @Test
  void load_grpcManyRefusalsOnOneConnection_noTransportErrors() throws Exception {
    // the server resets every refused stream; a client that closes its connection after 200
    // resets in 30 s (Vert.x's) would fail the calls sharing it
    JsonObject r = load(0, "--target", serve(1, 0), "--concurrency", "8", "--requests", "400");
    JsonObject req = r.getJsonObject("requests");
    assertEquals(400, req.getLong("completed"));
    assertTrue(req.getLong("rejected") > 250, r.encodePrettily());
    assertEquals(0, r.getJsonObject("errorsByCode").size(), r.encodePrettily());
  }

  @Test
  void load_httpOverCapacity_429sRejected() throws Exception {
    JsonObject r = load(0, "--target", serve(1, 0), "--protocol", "http", "--concurrency", "4",
        "--requests", "16");
    JsonObject req = r.getJsonObject("requests");
    assertTrue(req.getLong("rejected") > 0, r.encodePrettily());
    assertEquals(req.getLong("rejected"), r.getJsonObject("statusCodes").getLong("HTTP_429"));
  }

  @Test
  void load_openModel_sendsAtRate() throws Exception {
    JsonObject r = load(0, "--target", serve(4, 16), "--rate", "40", "--concurrency", "8",
        "--requests", "10", "--warmup", "100ms");
    assertEquals("open", r.getString("model"));
    assertEquals(40.0, r.getDouble("rate"));
    assertEquals(10, r.getJsonObject("requests").getLong("sent"));
    assertEquals(10, r.getJsonObject("requests").getLong("ok"), r.encodePrettily());
    // 10 arrivals 25 ms apart: the measurement spans at least the last arrival
    assertTrue(r.getDouble("elapsedSeconds") >= 0.2, r.encodePrettily());
  }

  @Test
  void load_noServer_transportErrorsAndExitCode1() throws Exception {
    JsonObject r = load(1, "--target", "127.0.0.1:1", "--requests", "3", "--timeout", "5s");
    assertEquals(3, r.getJsonObject("errorsByCode").getLong("TRANSPORT"), r.encodePrettily());
  }

  @Test
  void load_unbounded_exitCode2() {
    assertEquals(2, new CommandLine(new LoadCommand()).execute("--target", "127.0.0.1:1",
        SLICE.toString()));
    assertEquals(2, new CommandLine(new LoadCommand()).execute("--target", "127.0.0.1:1",
        "--duration", "2h", SLICE.toString()));
  }

  @Test
  void load_httpFolderOfTwoFiles_exitCode2() throws Exception {
    Path study = Files.createDirectories(dir.resolve("study"));
    Files.copy(SLICE, study.resolve("a.dcm"));
    Files.copy(SLICE, study.resolve("b.dcm"));
    assertEquals(2, new CommandLine(new LoadCommand()).execute("--target", "127.0.0.1:1",
        "--protocol", "http", "--requests", "1", study.toString()));
  }

  @Test
  void duration_units() {
    assertEquals(250, LoadCommand.duration("--d", "250ms").toMillis());
    assertEquals(1500, LoadCommand.duration("--d", "1.5").toMillis());
    assertEquals(120_000, LoadCommand.duration("--d", "2m").toMillis());
  }

  private static void assertOrdered(JsonObject s) {
    double[] v = {s.getDouble("min"), s.getDouble("p50"), s.getDouble("p90"), s.getDouble("p99"),
        s.getDouble("p999"), s.getDouble("max")};
    for (int i = 1; i < v.length; i++) {
      assertTrue(v[i - 1] <= v[i], "percentiles out of order: " + s.encode());
    }
    assertTrue(v[0] > 0, s.encode());
  }

  private void assertFiles() throws Exception {
    String html = Files.readString(dir.resolve("report.html"));
    assertTrue(html.contains("<svg") && html.contains("<circle") && html.contains("<polyline"));
    // self-contained: no scripts, nothing fetched
    assertTrue(!html.contains("<script") && !html.contains("src=") && !html.contains("href="));
    BufferedImage png = ImageIO.read(dir.resolve("report.png").toFile());
    assertEquals(Charts.WIDTH, png.getWidth());
    assertEquals(Charts.HEIGHT, png.getHeight());
    int coloured = 0;
    for (int y = 0; y < png.getHeight(); y += 2) {
      for (int x = 0; x < png.getWidth(); x += 2) {
        int rgb = png.getRGB(x, y);
        int r = (rgb >> 16) & 0xFF;
        int b = rgb & 0xFF;
        coloured += b > r + 40 ? 1 : 0;
      }
    }
    assertTrue(coloured > 100, "the PNG shows " + coloured + " blue pixels (bars, dots)");
  }
}
