package io.spoils.gateway.ingest;

import io.spoils.feature.InvalidInputException;
import io.spoils.gateway.config.TlsOptions;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManager;

/**
 * Server sockets for DICOM TLS on the C-STORE listener (PS3.15 Annex B, with the BCP 195 profile's
 * protocol versions: TLS 1.2 and 1.3 only), from the HTTP listener's PEM files
 * ({@link TlsOptions}): its certificate chain and key, and with a client CA a client certificate
 * that CA signs, required or optional as {@link TlsOptions#clientAuth()} says. PixelMed gets the
 * accepted {@code SSLSocket}s as it gets plain ones; the handshake runs on the association's
 * thread at its first read, under the listener's socket timeout. The files are read when the
 * listener starts (the HTTP listener's reload does not reach this port).
 */
final class DicomTls {
  /** Protocol versions offered, newest first. */
  static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  private DicomTls() { }

  /**
   * An unbound TLS server socket.
   *
   * @throws InvalidInputException when {@code tls} has no certificate
   * @throws Exception when the PEM files cannot be read
   */
  static ServerSocket serverSocket(Vertx vertx, TlsOptions tls) throws Exception {
    if (!tls.enabled()) {
      throw new InvalidInputException("dicomTls needs tlsCert and tlsKey");
    }
    PemKeyCertOptions keyCert = new PemKeyCertOptions()
        .setCertPath(tls.cert().get().toString()).setKeyPath(tls.key().get().toString());
    TrustManager[] trust = null;
    if (tls.clientCa().isPresent()) {
      trust = new PemTrustOptions().addCertPath(tls.clientCa().get().toString())
          .getTrustManagerFactory(vertx).getTrustManagers();
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyCert.getKeyManagerFactory(vertx).getKeyManagers(), trust, null);
    SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory()
        .createServerSocket();
    List<String> supported = Arrays.asList(socket.getSupportedProtocols());
    socket.setEnabledProtocols(PROTOCOLS.stream().filter(supported::contains)
        .toArray(String[]::new));
    if (tls.clientCa().isPresent()) {
      if (tls.clientAuth() == TlsOptions.ClientAuth.REQUIRED) {
        socket.setNeedClientAuth(true);
      } else {
        socket.setWantClientAuth(true);
      }
    }
    return socket;
  }
}
