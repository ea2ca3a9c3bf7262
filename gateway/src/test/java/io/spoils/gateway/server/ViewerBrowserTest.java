package io.spoils.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.backend.InferenceBackend;
import io.spoils.gateway.backend.ModelRepository;
import io.spoils.gateway.backend.OnnxRuntimeBackend;
import io.spoils.gateway.backend.OnnxRuntimeOptions;
import io.spoils.gateway.backend.simulated.SimulatedBackend;
import io.spoils.gateway.backend.simulated.SimulatedOptions;
import io.spoils.gateway.config.AuthOptions;
import io.spoils.gateway.config.HostOptions;
import io.spoils.gateway.config.IngestOptions;
import io.spoils.gateway.config.PacsOptions;
import io.spoils.gateway.config.SecurityOptions;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.config.TlsOptions;
import io.spoils.gateway.ingest.OrthancProcess;
import io.spoils.gateway.pipeline.AnalysisPipeline;
import io.spoils.gateway.service.AnalysisService;
import io.spoils.gateway.testing.DefaultTrees;
import io.spoils.gateway.testing.RealModels;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web viewer in headless Chromium ({@link HeadlessChromium}, the DevTools protocol): the
 * bundled example is uploaded with ODI and NRS, and once the summary is in, the page shows a row
 * per disc, the stratum, the models and the decision-support banner, and its overlay canvas has
 * coloured pixels; then again with an access token, which takes the fetch() path instead of an
 * EventSource; and on a server with API tokens, where the page fails without its token and
 * analyses with it; and naming a study on a real Orthanc by its StudyInstanceUID (an unknown
 * one first, whose 404 reason the page shows). The pages are saved as {@value #SCREENSHOT} and
 * {@value #PACS_SCREENSHOT} to look at. Runs on the real models
 * of {@code triton-models/} when they are there, else on the simulated backend; skips when
 * chromium is absent ({@code apt-get install chromium}, which {@code bin/setup} does).
 */
@ExtendWith(VertxExtension.class)
@ExtendWith(DefaultTrees.class)
class ViewerBrowserTest {

  static final String SCREENSHOT = "target/viewer-screenshot.png";
  static final String PACS_SCREENSHOT = "target/viewer-pacs-screenshot.png";
  private static final Path EXAMPLE = Path.of("examples/spider/slice.dcm");
  private static final Path MODELS = Path.of("../triton-models");
  private static XgbTreeGrader trees;
  private TestServer server;
  private InferenceBackend backend;

  @BeforeAll
  static void load(XgbTreeGrader defaultTrees) {
    trees = defaultTrees;
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (backend != null) {
      SpoilsServerTest.await(backend.close());
    }
  }

  @Test
  void viewer_exampleUpload_showsDiscTableOverlayAndSummary(Vertx vertx) throws Exception {
    Optional<Path> chromium = HeadlessChromium.binary();
    Assumptions.assumeTrue(chromium.isPresent(),
        "chromium is absent: apt-get install chromium (bin/setup installs it)");
    backend = realModels() ? new OnnxRuntimeBackend(vertx, ModelRepository.load(MODELS),
        OnnxRuntimeOptions.defaults()) : new SimulatedBackend(vertx, SimulatedOptions.of(0, 0));
    SpoilsServerTest.await(backend.ready());
    server = TestServer.start(vertx, backend, trees, ServerOptions.defaults());
    try (HeadlessChromium page = HeadlessChromium.open(chromium.get(),
        server.uri("/viewer/").toString(), 1280, 900)) {
      waitFor(page, "document.readyState === 'complete' && !!window.spoilsViewer", 30);
      chooseExample(page);
      analyse(page, "");
      assertResultShown(page);
      screenshot(page, SCREENSHOT);
      assertEquals(true, page.eval("window.spoilsViewer.source instanceof EventSource"));
      // with a token (ignored by this open server) the events come from a fetch() stream
      analyse(page, "viewer-test-token");
      assertResultShown(page);
      assertEquals(false, page.eval("window.spoilsViewer.source instanceof EventSource"));
    }
  }

  @Test
  void viewer_serverWithTokens_analysesOnlyWithToken(Vertx vertx, @TempDir Path dir)
      throws Exception {
    Optional<Path> chromium = HeadlessChromium.binary();
    Assumptions.assumeTrue(chromium.isPresent(),
        "chromium is absent: apt-get install chromium (bin/setup installs it)");
    Path tokens = dir.resolve("tokens");
    String token = "viewer-browser-test-token";
    byte[] digest = MessageDigest.getInstance("SHA-256")
        .digest(token.getBytes(StandardCharsets.UTF_8));
    Files.writeString(tokens, "sha256:" + HexFormat.of().formatHex(digest)
        + " analyze,results:read\n");
    AuthOptions auth = new AuthOptions(Optional.of(tokens), Optional.empty(), Optional.empty(),
        Optional.empty(), false, false);
    backend = new SimulatedBackend(vertx, SimulatedOptions.of(0, 0));
    SpoilsServer secured = SpoilsServerTest.await(SpoilsServer.start(vertx, new AnalysisService(
        vertx, backend, "test", trees,
        ServerOptions.defaults().withHost("127.0.0.1").withPort(0)),
        new SecurityOptions(auth, TlsOptions.none(), HostOptions.any())));
    try (HeadlessChromium page = HeadlessChromium.open(chromium.get(),
        "http://127.0.0.1:" + secured.port() + "/viewer/", 1280, 900)) {
      waitFor(page, "document.readyState === 'complete' && !!window.spoilsViewer", 30);
      chooseExample(page);
      page.eval("document.getElementById('study-form').requestSubmit(); true");
      waitFor(page, "document.body.dataset.state === 'failed'", 60);
      assertEquals(true, page.eval("document.getElementById('token-box').open"));
      String refused = (String) page.eval("document.getElementById('error').textContent");
      assertTrue(refused.contains("Access token"), refused);
      analyse(page, token);
      assertResultShown(page);
    } finally {
      SpoilsServerTest.await(secured.close());
    }
  }

  @Test
  void viewer_studyOnPacs_fetchedByUidAndShown(Vertx vertx, @TempDir Path dir) throws Exception {
    Optional<Path> chromium = HeadlessChromium.binary();
    Assumptions.assumeTrue(chromium.isPresent(),
        "chromium is absent: apt-get install chromium (bin/setup installs it)");
    Assumptions.assumeTrue(OrthancProcess.installed(), "Orthanc or its DICOMweb plugin is not "
        + "installed (apt-get install orthanc orthanc-dicomweb; bin/setup does): skipping");
    AttributeList header = new AttributeList();
    header.read(EXAMPLE.toString());
    String studyUid = Attribute.getSingleStringValueOrEmptyString(header,
        TagFromName.StudyInstanceUID);
    try (OrthancProcess orthanc = OrthancProcess.start(dir)) {
      orthanc.upload(Files.readAllBytes(EXAMPLE));
      backend = new SimulatedBackend(vertx, SimulatedOptions.of(0, 0));
      server = TestServer.start(vertx, backend, trees, ServerOptions.defaults().withIngest(
          IngestOptions.defaults().withPacs("orthanc", PacsOptions.of(orthanc.dicomWebUrl()))));
      try (HeadlessChromium page = HeadlessChromium.open(chromium.get(),
          server.uri("/viewer/").toString(), 1280, 900)) {
        waitFor(page, "document.readyState === 'complete' && !!window.spoilsViewer", 30);
        // a UID the PACS does not have: the page shows the server's 404 reason
        namePacsStudy(page, "1.2.3.4");
        waitFor(page, "document.body.dataset.state === 'failed'", 60);
        String missing = (String) page.eval("document.getElementById('error').textContent");
        assertTrue(missing.contains("study not found in PACS orthanc"), missing);
        // the example's study, PACS left empty: the server's only PACS
        namePacsStudy(page, studyUid);
        waitFor(page, "['done', 'failed'].includes(document.body.dataset.state)", 120);
        assertEquals("done", page.eval("document.body.dataset.state"),
            String.valueOf(page.eval("document.getElementById('error').textContent")));
        waitFor(page, "window.spoilsViewer.labels !== null", 30);
        assertResultShown(page);
        String log = (String) page.eval("document.getElementById('status').textContent");
        assertTrue(log.startsWith("Done"), log);
        screenshot(page, PACS_SCREENSHOT);
      }
    }
  }

  /** Switches the page to "On the PACS", enters {@code studyUid} with ODI 45 and NRS 7, submits. */
  private static void namePacsStudy(HeadlessChromium page, String studyUid) throws Exception {
    page.eval("document.getElementById('source-pacs').click();"
        + "document.getElementById('study-uid').value = '" + studyUid + "';"
        + "document.getElementById('odi').value = '45';"
        + "document.getElementById('nrs').value = '7';"
        + "document.getElementById('study-form').requestSubmit(); true");
  }

  /** Puts the bundled example into the page's file input. */
  private static void chooseExample(HeadlessChromium page) throws Exception {
    int root = page.call("DOM.getDocument", new JsonObject()).getJsonObject("root")
        .getInteger("nodeId");
    int input = page.call("DOM.querySelector", new JsonObject().put("nodeId", root)
        .put("selector", "#files")).getInteger("nodeId");
    page.call("DOM.setFileInputFiles", new JsonObject().put("nodeId", input)
        .put("files", new JsonArray().add(EXAMPLE.toAbsolutePath().toString())));
  }

  /** Submits the chosen file with ODI 45 and NRS 7 (and {@code token}) and waits for the end. */
  private static void analyse(HeadlessChromium page, String token) throws Exception {
    page.eval("document.getElementById('odi').value = '45';"
        + "document.getElementById('nrs').value = '7';"
        + "document.getElementById('token').value = '" + token + "';"
        + "document.getElementById('study-form').requestSubmit(); true");
    waitFor(page, "['done', 'failed'].includes(document.body.dataset.state)", 120);
    assertEquals("done", page.eval("document.body.dataset.state"),
        String.valueOf(page.eval("document.getElementById('error').textContent")));
    waitFor(page, "window.spoilsViewer.labels !== null", 30);
  }

  private static void assertResultShown(HeadlessChromium page) throws Exception {
    int coloured = number(page.eval(COLOURED_PIXELS));
    int discs = number(page.eval("window.spoilsViewer.discsSeen"));
    int rows = number(page.eval("document.querySelectorAll('#discs tbody tr').length"));
    String stratum = (String) page.eval("document.getElementById('stratum').textContent");
    String banner = (String) page.eval("document.getElementById('banner').textContent");
    int models = number(page.eval("document.querySelectorAll('#models tbody tr').length"));
    String table = (String) page.eval("document.querySelector('#discs tbody').textContent");
    assertTrue(coloured > 100, "overlay has " + coloured + " coloured pixels");
    assertTrue(discs >= 1 && rows == discs, rows + " rows for " + discs + " disc events");
    assertTrue(table.matches("(?s).*(T12|L\\d)-(L\\d|S1)[1-5][LMH].*"),
        "no graded level: " + table);
    assertTrue(stratum.startsWith("Stratum: "), stratum);
    assertTrue(banner.contains("Decision support for clinicians, never a diagnosis"), banner);
    assertTrue(models >= 2, "models listed: " + models);
    assertEquals(100, number(page.eval("document.getElementById('progress').value")));
  }

  /** Pixels of the overlay canvas that are drawn and not grey. */
  private static final String COLOURED_PIXELS = "(() => {"
      + " const c = document.getElementById('overlay');"
      + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
      + " let n = 0;"
      + " for (let i = 0; i < d.length; i += 4) {"
      + "   if (d[i + 3] > 0 && (d[i] !== d[i + 1] || d[i + 1] !== d[i + 2])) n++;"
      + " }"
      + " return n; })()";

  private static boolean realModels() throws Exception {
    for (String m : List.of(AnalysisPipeline.SEGMENTATION_MODEL, AnalysisPipeline.GRADING_MODEL)) {
      if (!RealModels.present(MODELS, m)
          || ModelRepository.load(MODELS).untrained(m)) {
        return false;
      }
    }
    return true;
  }

  /** The whole page as a PNG under target/, to look at. */
  private static void screenshot(HeadlessChromium page, String file) throws Exception {
    JsonObject size = page.call("Page.getLayoutMetrics", new JsonObject())
        .getJsonObject("cssContentSize");
    page.call("Emulation.setDeviceMetricsOverride", new JsonObject().put("width", 1280)
        .put("height", (int) Math.ceil(size.getDouble("height"))).put("deviceScaleFactor", 1)
        .put("mobile", false));
    String png = page.call("Page.captureScreenshot", new JsonObject().put("format", "png"))
        .getString("data");
    Files.write(Path.of(file), Base64.getDecoder().decode(png));
  }

  private static void waitFor(HeadlessChromium page, String condition, int seconds)
      throws Exception {
    long until = System.nanoTime() + seconds * 1_000_000_000L;
    while (!Boolean.TRUE.equals(page.eval(condition))) {
      if (System.nanoTime() > until) {
        throw new AssertionError("not within " + seconds + " s: " + condition + "; status: "
            + page.eval("document.getElementById('status').textContent"));
      }
      Thread.sleep(100);
    }
  }

  private static int number(Object value) {
    return ((Number) value).intValue();
  }
}
