package io.spoils.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.gateway.backend.Deadline;
import io.spoils.gateway.config.PacsOptions;
import io.spoils.gateway.ingest.DicomWebClient;
import io.spoils.gateway.ingest.PacsException;
import io.spoils.gateway.ingest.PacsStudy;
import io.spoils.gateway.output.store.StowRsDestination;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outbound TLS and credentials to a DICOMweb PACS, against an in-process HTTPS server with a
 * certificate from a private CA (openssl): WADO-RS and STOW-RS trust the PACS's CA file and fail
 * without it; a bearer token and a basic password come from files read for each request (a
 * rotated token is sent at once); an unreadable file stops the request; no credential reaches a
 * log record or an error message.
 */
class PacsHttpTest {

  private static final String TYPE = "multipart/related; type=\"application/dicom\"; boundary=b0";
  private static final String TOKEN = "pacs-t0ken-first";
  private static final String ROTATED = "pacs-t0ken-rotated";
  private static final String PASSWORD = "pacs-pa55word";
  private static TestCertificates certs;

  @TempDir
  static Path dir;
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final List<String> logged = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord r) {
      logged.add(String.valueOf(r.getMessage()) + r.getThrown());
    }

    @Override
    public void flush() { }

    @Override
    public void close() { }
  };
  private final Logger spoils = Logger.getLogger("io.spoils");
  private Vertx vertx;
  private HttpServer pacs;

  @BeforeAll
  static void certificates() throws Exception {
    certs = new TestCertificates(dir);
    certs.ca("pacs-ca");
    certs.leaf("pacs", "pacs-ca", true);
  }

  @BeforeEach
  void start() throws Exception {
    spoils.addHandler(capture);
    capture.setLevel(Level.ALL);
    vertx = Vertx.vertx();
    pacs = await(vertx.createHttpServer(new HttpServerOptions().setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certs.file("pacs.pem").toString())
            .setKeyPath(certs.file("pacs.key").toString())))
        .requestHandler(req -> {
          authorizations.add(String.valueOf(req.getHeader("Authorization")));
          req.body().onSuccess(b -> {
            if (req.method().name().equals("POST")) {
              req.response().putHeader("Content-Type", "application/dicom+json").end("{}");
            } else {
              req.response().putHeader("Content-Type", TYPE).end(
                  "--b0\r\nContent-Type: application/dicom\r\n\r\nfirst\r\n--b0--\r\n");
            }
          });
        }).listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() throws Exception {
    spoils.removeHandler(capture);
    for (String l : logged) {
      for (String secret : List.of(TOKEN, ROTATED, PASSWORD)) {
        assertFalse(l.contains(secret), l);
      }
    }
    await(pacs.close());
    vertx.close();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private String url() {
    return "https://localhost:" + pacs.actualPort() + "/dicom-web";
  }

  private PacsOptions options(Optional<Path> passwordFile, Optional<Path> tokenFile,
      Optional<Path> ca) {
    return new PacsOptions(url(), 10, passwordFile.map(p -> "spoils"), Optional.empty(),
        passwordFile, tokenFile, ca);
  }

  private static Future<?> fetch(DicomWebClient client) {
    return client.fetch(new PacsStudy("p", "1.2.3.4", Optional.empty(), Optional.empty()),
        Deadline.after(Duration.ofSeconds(10)));
  }

  private static Throwable failure(Future<?> f) throws Exception {
    try {
      await(f);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("it succeeded");
  }

  @Test
  void wado_caFileAndTokenFile_trustedAndRotatedTokenSentAtOnce() throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, TOKEN + "\n");
    DicomWebClient client = new DicomWebClient(vertx, Map.of("p", options(Optional.empty(),
        Optional.of(token), Optional.of(certs.file("pacs-ca.pem")))), 1000, 10);
    assertEquals(1, ((List<?>) await(fetch(client))).size());
    Files.writeString(token, ROTATED + "\n");
    await(fetch(client));
    assertEquals(List.of("Bearer " + TOKEN, "Bearer " + ROTATED), authorizations);
    await(client.close());
  }

  @Test
  void wado_privateCaNotTrusted_unavailableWithoutSending() throws Exception {
    DicomWebClient client = new DicomWebClient(vertx, Map.of("p", options(Optional.empty(),
        Optional.empty(), Optional.empty())), 1000, 10);
    PacsException e = assertInstanceOf(PacsException.class, failure(fetch(client)));
    assertEquals(PacsException.Status.UNAVAILABLE, e.status());
    assertTrue(authorizations.isEmpty());
    await(client.close());
  }

  @Test
  void wado_missingTokenFile_unavailableNamingNoFileOrToken() throws Exception {
    DicomWebClient client = new DicomWebClient(vertx, Map.of("p", options(Optional.empty(),
        Optional.of(dir.resolve("absent-token")), Optional.of(certs.file("pacs-ca.pem")))),
        1000, 10);
    PacsException e = assertInstanceOf(PacsException.class, failure(fetch(client)));
    assertEquals(PacsException.Status.UNAVAILABLE, e.status());
    assertEquals("PACS p: the gateway's credentials for this PACS cannot be read",
        e.getMessage());
    assertTrue(authorizations.isEmpty(), "nothing sent");
    assertTrue(logged.stream().anyMatch(l -> l.contains("absent-token")), "the operator is told");
    await(client.close());
  }

  @Test
  void stow_passwordFileOverTls_basicCredentials() throws Exception {
    Path password = dir.resolve("password");
    Files.writeString(password, PASSWORD + "\n");
    PacsOptions o = options(Optional.of(password), Optional.empty(),
        Optional.of(certs.file("pacs-ca.pem")));
    StowRsDestination stow = new StowRsDestination(vertx, "p", o, PacsHttp.client(vertx, o));
    await(stow.send(List.of("first".getBytes()), Deadline.after(Duration.ofSeconds(10))));
    assertEquals(List.of("Basic " + java.util.Base64.getEncoder().encodeToString(
        ("spoils:" + PASSWORD).getBytes())), authorizations);
  }
}
