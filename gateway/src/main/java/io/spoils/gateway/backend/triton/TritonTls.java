package io.spoils.gateway.backend.triton;

import io.spoils.feature.InvalidInputException;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * TLS from the gateway to Triton's gRPC port: TLS 1.2 or 1.3 with ALPN h2, the server's
 * certificate checked against {@code caFile} (else the JVM's default trust store) and its host
 * name; with a client certificate and key, mutual TLS (Triton's {@code --grpc-use-ssl-mutual}).
 *
 * @param caFile CA certificates (PEM) that sign Triton's certificate; empty: the JVM's trust store
 * @param clientCert the gateway's certificate chain (PEM) for mutual TLS; with {@code clientKey}
 * @param clientKey its private key (PEM, PKCS#8 or PKCS#1)
 */
public record TritonTls(Optional<Path> caFile, Optional<Path> clientCert,
    Optional<Path> clientKey) {

  /** @throws InvalidInputException for a certificate without its key or the reverse */
  public TritonTls {
    if (clientCert.isPresent() != clientKey.isPresent()) {
      throw new InvalidInputException("tritonClientCert and tritonClientKey go together");
    }
  }

  /** TLS trusting the JVM's default trust store, no client certificate. */
  public static TritonTls defaultTrust() {
    return new TritonTls(Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** Whether the gateway shows a client certificate (mutual TLS). */
  public boolean mutual() {
    return clientCert.isPresent();
  }

  /**
   * Checks that every file can be read, so that a wrong path stops start-up with its name
   * rather than failing each connection later.
   *
   * @throws InvalidInputException naming the setting and the file
   */
  public void checkFiles() {
    check("tritonCaFile", caFile);
    check("tritonClientCert", clientCert);
    check("tritonClientKey", clientKey);
  }

  private static void check(String key, Optional<Path> file) {
    if (file.isPresent() && !Files.isReadable(file.get())) {
      throw new InvalidInputException(key + ": cannot read " + file.get());
    }
  }

  /** {@code http} set for TLS to Triton as these options say. */
  HttpClientOptions apply(HttpClientOptions http) {
    http.setSsl(true).setUseAlpn(true).setVerifyHost(true)
        .setEnabledSecureTransportProtocols(java.util.Set.copyOf(PROTOCOLS));
    caFile.ifPresent(ca -> http.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())));
    clientCert.ifPresent(cert -> http.setKeyCertOptions(new PemKeyCertOptions()
        .setCertPath(cert.toString()).setKeyPath(clientKey.orElseThrow().toString())));
    return http;
  }

  /** The protocol versions offered. */
  static final List<String> PROTOCOLS = List.of("TLSv1.2", "TLSv1.3");
}
