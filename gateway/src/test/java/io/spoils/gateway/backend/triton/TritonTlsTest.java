package io.spoils.gateway.backend.triton;

import static io.spoils.gateway.backend.triton.TritonBackendTest.TINY;
import static io.spoils.gateway.backend.triton.TritonBackendTest.TINY_CONFIG;
import static io.spoils.gateway.backend.triton.TritonBackendTest.await;
import static io.spoils.gateway.backend.triton.TritonBackendTest.failure;
import static io.spoils.gateway.backend.triton.TritonBackendTest.quick;
import static io.spoils.gateway.backend.triton.TritonBackendTest.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.InvalidInputException;
import io.spoils.gateway.backend.BackendException;
import io.spoils.gateway.backend.BackendStatus;
import io.spoils.gateway.backend.Deadline;
import io.spoils.gateway.backend.InferRequest;
import io.spoils.gateway.backend.ModelRepository;
import io.spoils.gateway.security.TestCertificates;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outbound TLS to Triton against the in-process KServe v2 server over TLS (certificates made by
 * openssl in the test): the server's certificate checked against the CA file, mutual TLS with
 * the gateway's client certificate, and the failures a wrong CA, a missing client certificate or
 * plaintext meet (start-up never passes; the limit reports why).
 */
@ExtendWith(VertxExtension.class)
class TritonTlsTest {

  @TempDir
  Path served;
  @TempDir
  Path local;
  @TempDir
  Path certs;

  private Vertx vertx;
  private TestCertificates pki;
  private KServeTestServer server;
  private TritonBackend triton;

  @BeforeEach
  void certificates(Vertx vertx) throws Exception {
    this.vertx = vertx;
    pki = new TestCertificates(certs);
    pki.ca("ca");
    pki.ca("other-ca");
    pki.leaf("triton", "ca", true);
    pki.leaf("gateway", "ca", false);
    TritonBackendTest.writeModel(served, TINY, TINY_CONFIG);
    TritonBackendTest.writeModel(local, TINY, TINY_CONFIG);
  }

  @AfterEach
  void close() throws Exception {
    if (triton != null) {
      await(triton.close());
    }
    if (server != null) {
      await(server.close());
    }
  }

  private void serveTls(boolean mutual) throws Exception {
    server = await(KServeTestServer.startTls(vertx, ModelRepository.load(served), pki.file("triton.pem"), pki.file("triton.key"),
        mutual ? Optional.of(pki.file("ca.pem")) : Optional.empty()));
  }

  private TritonBackend connect(Optional<TritonTls> tls, Duration startupLimit) throws Exception {
    triton = new TritonBackend(vertx, ModelRepository.load(local), List.of(TINY),
        quick(server.port(), startupLimit).withTls(tls));
    return triton;
  }

  private static InferRequest request() {
    return InferRequest.of(TINY, Map.of("x", random(1, 1, 2, 4, 4)),
        Deadline.after(Duration.ofMinutes(1)));
  }

  private TritonTls trusting(String ca) {
    return new TritonTls(Optional.of(pki.file(ca + ".pem")), Optional.empty(), Optional.empty());
  }

  @Test
  void tls_caFile_startsAndInfers() throws Exception {
    serveTls(false);
    connect(Optional.of(trusting("ca")), Duration.ofMinutes(1));
    await(triton.startup());
    assertEquals(3, await(triton.infer(request())).output("y").shape()[1]);
  }

  @Test
  void mutualTls_clientCertificate_startsAndInfers() throws Exception {
    serveTls(true);
    connect(Optional.of(new TritonTls(Optional.of(pki.file("ca.pem")),
        Optional.of(pki.file("gateway.pem")), Optional.of(pki.file("gateway.key")))),
        Duration.ofMinutes(1));
    await(triton.startup());
    assertEquals(3, await(triton.infer(request())).output("y").shape()[1]);
  }

  @Test
  void mutualTls_noClientCertificate_neverStarts() throws Exception {
    serveTls(true);
    connect(Optional.of(trusting("ca")), Duration.ofSeconds(2));
    BackendException e = failure(triton.startup());
    assertEquals(BackendStatus.UNAVAILABLE, e.status());
    assertEquals(0, server.inferCalls());
  }

  @Test
  void tls_certificateOfAnotherCa_neverStarts() throws Exception {
    serveTls(false);
    connect(Optional.of(trusting("other-ca")), Duration.ofSeconds(2));
    BackendException e = failure(triton.startup());
    assertTrue(e.getMessage().contains("did not pass the start-up check"), e.getMessage());
  }

  @Test
  void plaintext_againstTls_neverStarts() throws Exception {
    serveTls(false);
    connect(Optional.empty(), Duration.ofSeconds(2));
    assertEquals(BackendStatus.UNAVAILABLE, failure(triton.startup()).status());
  }

  @Test
  void tls_unreadableCaFile_refusedAtConstruction() throws Exception {
    serveTls(false);
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> connect(Optional.of(trusting("absent")), Duration.ofSeconds(2)));
    assertTrue(e.getMessage().startsWith("tritonCaFile: cannot read"), e.getMessage());
  }
}
