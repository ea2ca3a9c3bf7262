package io.spoils.gateway.ingest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real Orthanc (Debian's {@code orthanc} with the {@code orthanc-dicomweb} plugin) in a temporary
 * folder, on free local ports, for tests. {@link #close()} kills it; starting waits at most
 * {@link #START_TIMEOUT} for {@code GET /system}.
 */
public final class OrthancProcess implements AutoCloseable {

  static final Path BINARY = Path.of("/usr/sbin/Orthanc");
  static final Path DICOMWEB_PLUGIN = Path.of("/usr/share/orthanc/plugins/libOrthancDicomWeb.so");
  static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  /** Kills Orthanc should the test JVM exit without {@link #close()}. */
  private final Thread reaper;
  private final Path log;
  private final int httpPort;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  private OrthancProcess(Process process, Path log, int httpPort) {
    this.process = process;
    this.reaper = new Thread(process::destroyForcibly, "orthanc-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
    this.log = log;
    this.httpPort = httpPort;
  }

  /** Whether Orthanc and its DICOMweb plugin are installed (bin/setup installs them for CI). */
  public static boolean installed() {
    return Files.isExecutable(BINARY) && Files.isRegularFile(DICOMWEB_PLUGIN);
  }

  /** Starts Orthanc with storage, index and log under {@code dir}; kills it if it never answers. */
  public static OrthancProcess start(Path dir) throws Exception {
    int httpPort = freePort();
    JsonObject config = new JsonObject()
        .put("Name", "spoils-test")
        .put("HttpPort", httpPort)
        .put("DicomPort", freePort())
        .put("StorageDirectory", dir.resolve("storage").toString())
        .put("IndexDirectory", dir.resolve("index").toString())
        .put("Plugins", new JsonArray().add(DICOMWEB_PLUGIN.toString()))
        .put("DicomWeb", new JsonObject().put("Enable", true).put("Root", "/dicom-web/"))
        .put("RemoteAccessAllowed", false)
        .put("AuthenticationEnabled", false);
    Path file = dir.resolve("orthanc.json");
    Files.writeString(file, config.encodePrettily());
    Path log = dir.resolve("orthanc.log");
    Process process = new ProcessBuilder(BINARY.toString(), file.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    OrthancProcess orthanc = new OrthancProcess(process, log, httpPort);
    try {
      orthanc.awaitSystem();
      return orthanc;
    } catch (Exception | AssertionError e) {
      orthanc.close();
      throw e;
    }
  }

  private void awaitSystem() throws Exception {
    long end = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < end) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Orthanc exited with " + process.exitValue() + ": "
            + logTail());
      }
      try {
        if (get("/system").statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("Orthanc did not answer /system within " + START_TIMEOUT
        + ": " + logTail());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + httpPort + path);
  }

  /**
   * Stores one DICOM file ({@code POST /instances}). Sent again once when the connection closes
   * before an answer: the JDK client does not resend a POST on a pooled connection the server
   * closed meanwhile (one clean-clone run failed so right after start-up, "header parser received
   * no bytes"), and storing the same instance twice is harmless in Orthanc.
   */
  public void upload(byte[] dicom) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(uri("/instances"))
        .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofByteArray(dicom))
        .build();
    HttpResponse<String> r;
    try {
      r = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException closedBeforeAnswer) {
      r = http.send(request, HttpResponse.BodyHandlers.ofString());
    }
    if (r.statusCode() != 200) {
      throw new IllegalStateException("Orthanc refused the upload: HTTP " + r.statusCode());
    }
  }

  /** The DICOMweb root, e.g. {@code http://127.0.0.1:PORT/dicom-web}. */
  public String dicomWebUrl() {
    return "http://127.0.0.1:" + httpPort + "/dicom-web";
  }

  String logTail() {
    try {
      String s = Files.readString(log);
      return s.substring(Math.max(0, s.length() - 2000));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
