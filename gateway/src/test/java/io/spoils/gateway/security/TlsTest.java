package io.spoils.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.config.AuthOptions;
import io.spoils.gateway.config.HostOptions;
import io.spoils.gateway.config.SecurityOptions;
import io.spoils.gateway.config.TlsOptions;
import io.spoils.gateway.testing.DefaultTrees;
import io.spoils.proto.v1.AnalysisServiceGrpc;
import io.spoils.proto.v1.ListModelsRequest;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on the listener with certificates made by openssl in the test: HTTPS with ALPN h2 (JDK
 * client) and a token, gRPC over TLS (grpc-java), a plaintext client refused, mutual TLS with
 * and without a (right) client certificate, and a certificate replaced while serving.
 */
@ExtendWith(VertxExtension.class)
@ExtendWith(DefaultTrees.class)
class TlsTest {

  private static XgbTreeGrader trees;
  private static TestCertificates certs;
  private static Path tokens;
  private SecuredServer server;

  @BeforeAll
  static void certificates(XgbTreeGrader defaultTrees, @TempDir Path dir) throws Exception {
    trees = defaultTrees;
    certs = new TestCertificates(dir);
    certs.ca("ca");
    certs.ca("other-ca");
    certs.leaf("server", "ca", true);
    certs.leaf("server2", "other-ca", true);
    certs.leaf("client", "ca", false);
    certs.leaf("stranger", "other-ca", false);
    tokens = dir.resolve("tokens");
    Files.writeString(tokens, TokenAuthenticationTest.sha256("t0ken") + " models:read\n");
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private void start(Path cert, Path key, Optional<Path> clientCa, double reloadSeconds)
      throws Exception {
    AuthOptions auth = new AuthOptions(Optional.of(tokens), Optional.empty(), Optional.empty(),
        Optional.empty(), false, false);
    TlsOptions tls = new TlsOptions(Optional.of(cert), Optional.of(key), clientCa,
        TlsOptions.ClientAuth.REQUIRED, reloadSeconds);
    server = SecuredServer.start(Vertx.vertx(), trees,
        new SecurityOptions(auth, tls, HostOptions.any()));
  }

  private static HttpClient https(String ca) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (var in = Files.newInputStream(certs.file(ca + ".pem"))) {
      store.setCertificateEntry("ca", (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(
        TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_2).build();
  }

  private HttpResponse<String> get(HttpClient client, String path, String token)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
        + server.server.port() + path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private ManagedChannel channel(ChannelCredentials credentials) {
    return Grpc.newChannelBuilderForAddress("127.0.0.1", server.server.port(), credentials)
        .build();
  }

  private static int listModels(ManagedChannel channel) throws InterruptedException {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer t0ken");
    try {
      return AnalysisServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
          .listModels(ListModelsRequest.getDefaultInstance()).getModelsCount();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void curlHttp2_uploadWithoutToken_gets401NotAReset() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(new java.io.File("/usr/bin/curl").canExecute(),
        "curl is not installed (bin/setup installs it)");
    start(certs.file("server.pem"), certs.file("server.key"), Optional.empty(), 30);
    Path slice = io.spoils.gateway.testing.ExampleBackend.EXAMPLE.resolve("slice.dcm");
    // curl 7.88 drops a status it received when the stream it is still sending is cancelled
    Process curl = new ProcessBuilder("/usr/bin/curl", "-sS", "--http2", "--cacert",
        certs.file("ca.pem").toString(), "-o", "/dev/null", "-w", "%{http_code} %{http_version}",
        "-X", "POST", "-H", "Content-Type: application/dicom", "--data-binary",
        "@" + slice.toAbsolutePath(), "https://127.0.0.1:" + server.server.port()
            + "/v1/analyses").redirectErrorStream(true).start();
    String out = new String(curl.getInputStream().readAllBytes()).trim();
    assertTrue(curl.waitFor(30, TimeUnit.SECONDS));
    assertEquals("401 2", out);
  }

  @Test
  void https_alpnH2_tokenStillNeeded() throws Exception {
    start(certs.file("server.pem"), certs.file("server.key"), Optional.empty(), 30);
    HttpClient client = https("ca");
    HttpResponse<String> health = get(client, "/health/live", null);
    assertEquals(200, health.statusCode());
    assertEquals(HttpClient.Version.HTTP_2, health.version());
    assertEquals(401, get(client, "/v1/models", null).statusCode());
    assertEquals(200, get(client, "/v1/models", "t0ken").statusCode());
  }

  @Test
  void grpc_overTls_listsModels() throws Exception {
    start(certs.file("server.pem"), certs.file("server.key"), Optional.empty(), 30);
    assertTrue(listModels(channel(TlsChannelCredentials.newBuilder()
        .trustManager(certs.file("ca.pem").toFile()).build())) > 0);
  }

  @Test
  void plaintextClient_againstTlsPort_fails() throws Exception {
    start(certs.file("server.pem"), certs.file("server.key"), Optional.empty(), 30);
    HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.server.port()
        + "/health/live")).timeout(Duration.ofSeconds(10)).build();
    assertThrows(IOException.class, () -> plain.send(r, HttpResponse.BodyHandlers.ofString()));
  }

  @Test
  void mutualTls_required_refusesMissingOrForeignClientCertificate() throws Exception {
    start(certs.file("server.pem"), certs.file("server.key"),
        Optional.of(certs.file("ca.pem")), 30);
    TlsChannelCredentials.Builder trust = TlsChannelCredentials.newBuilder()
        .trustManager(certs.file("ca.pem").toFile());
    assertTrue(listModels(channel(TlsChannelCredentials.newBuilder()
        .trustManager(certs.file("ca.pem").toFile())
        .keyManager(certs.file("client.pem").toFile(), certs.file("client.key").toFile())
        .build())) > 0);
    StatusRuntimeException none = assertThrows(StatusRuntimeException.class,
        () -> listModels(channel(trust.build())));
    assertEquals(Status.Code.UNAVAILABLE, none.getStatus().getCode());
    StatusRuntimeException foreign = assertThrows(StatusRuntimeException.class,
        () -> listModels(channel(TlsChannelCredentials.newBuilder()
            .trustManager(certs.file("ca.pem").toFile())
            .keyManager(certs.file("stranger.pem").toFile(),
                certs.file("stranger.key").toFile()).build())));
    assertEquals(Status.Code.UNAVAILABLE, foreign.getStatus().getCode());
  }

  @Test
  void certificateFiles_replaced_reloadedForNewConnections() throws Exception {
    Path cert = certs.file("live.pem");
    Path key = certs.file("live.key");
    Files.copy(certs.file("server.pem"), cert, StandardCopyOption.REPLACE_EXISTING);
    Files.copy(certs.file("server.key"), key, StandardCopyOption.REPLACE_EXISTING);
    start(cert, key, Optional.empty(), 0.2);
    assertEquals(200, get(https("ca"), "/health/live", null).statusCode());
    Files.copy(certs.file("server2.key"), key, StandardCopyOption.REPLACE_EXISTING);
    Files.copy(certs.file("server2.pem"), cert, StandardCopyOption.REPLACE_EXISTING);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try {
        assertEquals(200, get(https("other-ca"), "/health/live", null).statusCode());
        break;
      } catch (IOException e) {
        if (System.nanoTime() > until) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
    assertThrows(IOException.class, () -> get(https("ca"), "/health/live", null));
  }
}
