package io.spoils.gateway.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.config.AuthOptions;
import io.spoils.gateway.config.DicomCallerOptions;
import io.spoils.gateway.config.HostOptions;
import io.spoils.gateway.config.IngestOptions;
import io.spoils.gateway.config.SecurityOptions;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.config.TlsOptions;
import io.spoils.gateway.security.TestCertificates;
import io.spoils.gateway.server.SpoilsServer;
import io.spoils.gateway.service.AnalysisService;
import io.spoils.gateway.testing.DefaultTrees;
import io.spoils.gateway.testing.ExampleBackend;
import io.spoils.gateway.testing.Storescu;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * DICOM TLS on the C-STORE listener with dcmtk's {@code storescu} (OpenSSL): with a client
 * certificate the listener's client CA signs, a store over TLS succeeds and its analysis is
 * listed; plain TCP, TLS without a client certificate, and a certificate from another CA fail,
 * and the listener goes on serving. Certificates are made with openssl. Skipped without storescu.
 */
@ExtendWith(DefaultTrees.class)
class DicomTlsTest {

  @TempDir
  static Path dir;
  private static Vertx vertx;
  private static SpoilsServer server;
  private static TestCertificates certs;
  private static XgbTreeGrader trees;

  @BeforeAll
  static void start(XgbTreeGrader defaultTrees) throws Exception {
    assumeTrue(Storescu.installed(), "dcmtk's storescu is not installed (apt-get install "
        + "dcmtk; bin/setup does): skipping");
    trees = defaultTrees;
    certs = new TestCertificates(dir);
    certs.ca("ca");
    certs.leaf("server", "ca", true);
    certs.leaf("modality", "ca", false);
    certs.ca("other");
    certs.leaf("stranger", "other", false);
    vertx = Vertx.vertx();
    server = start(tls(Optional.of(certs.file("ca.pem"))))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static TlsOptions tls(Optional<Path> clientCa) {
    return new TlsOptions(Optional.of(certs.file("server.pem")),
        Optional.of(certs.file("server.key")), clientCa, TlsOptions.ClientAuth.REQUIRED,
        TlsOptions.DEFAULT_RELOAD_SECONDS);
  }

  private static io.vertx.core.Future<SpoilsServer> start(TlsOptions tls) {
    IngestOptions ingest = IngestOptions.defaults().withDicomListener(0, "SPOILS")
        .withDicomCallers(DicomCallerOptions.any().withTls(true));
    AnalysisService service = new AnalysisService(vertx,
        new ExampleBackend(7, 16).withDeadlines(vertx), "fake", trees,
        ServerOptions.defaults().withHost("127.0.0.1").withPort(0).withIngest(ingest));
    return SpoilsServer.start(vertx, service, new SecurityOptions(AuthOptions.none(), tls,
        HostOptions.any()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    if (vertx != null) {
      vertx.close();
    }
  }

  /** Runs storescu with {@code tlsArgs} (bounded): its exit code and output. */
  private static Map.Entry<Integer, String> storescu(String name, String... tlsArgs)
      throws Exception {
    List<String> args = new ArrayList<>(List.of(tlsArgs));
    args.addAll(List.of("-aet", "MODALITY", "-aec", "SPOILS", "-to", "20", "127.0.0.1",
        Integer.toString(server.dicomPort().getAsInt()), "examples/spider/slice.dcm"));
    return Storescu.run(dir.resolve("storescu-" + name + ".log"), args);
  }

  private static String file(String name) {
    return certs.file(name).toString();
  }

  @Test
  void storeWithClientCertificate_overTls_stores() throws Exception {
    Map.Entry<Integer, String> r = storescu("modality", "+tls", file("modality.key"),
        file("modality.pem"), "+cf", file("ca.pem"));
    assertEquals(0, r.getKey(), r.getValue());
    assertFalse(r.getValue().contains("E:"), r.getValue());
  }

  @Test
  void plainTcp_fails_listenerGoesOn() throws Exception {
    Map.Entry<Integer, String> r = storescu("plain");
    assertNotEquals(0, r.getKey(), r.getValue());
    storeWithClientCertificate_overTls_stores();
  }

  @Test
  void tlsWithoutClientCertificate_fails() throws Exception {
    Map.Entry<Integer, String> r = storescu("anonymous", "+tla", "+cf", file("ca.pem"));
    assertNotEquals(0, r.getKey(), r.getValue());
  }

  @Test
  void clientCertificateOfAnotherCa_fails() throws Exception {
    Map.Entry<Integer, String> r = storescu("stranger", "+tls", file("stranger.key"),
        file("stranger.pem"), "+cf", file("ca.pem"));
    assertNotEquals(0, r.getKey(), r.getValue());
  }

  @Test
  void dicomTlsWithoutCertificate_refusedAtStart() {
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> start(TlsOptions.none()).toCompletionStage().toCompletableFuture()
            .get(30, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof InvalidInputException, e.getCause().toString());
    assertEquals("dicomTls needs tlsCert and tlsKey", e.getCause().getMessage());
  }
}
