package io.spoils.gateway.security;

import io.spoils.gateway.config.PacsOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

/**
 * The gateway's HTTP client side towards one DICOMweb PACS ({@code ingest.DicomWebClient}'s
 * WADO-RS fetches and {@code output.store.StowRsDestination}'s STOW-RS): a client for TLS 1.2+
 * that trusts the PACS's CA file (else the JVM's trust store), and the {@code Authorization} header
 * of each request, from a bearer token file, a basic-auth password file, or the basic-auth
 * password of the environment. Files are read for each request, without blocking (so that a
 * rotated token is used at once); a credential is never logged or put in an error message.
 */
public final class PacsHttp {

  /** A credential file that cannot be read or is empty: the request is not sent. */
  public static final class CredentialFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CredentialFileException(String message) {
      super(message, null, false, false);
    }
  }

  private static final java.util.logging.Logger LOG =
      java.util.logging.Logger.getLogger(PacsHttp.class.getName());

  private PacsHttp() {}

  /** A client for {@code pacs}: keep-alive, decompression, its CA file trusted for https. */
  public static HttpClientAgent client(Vertx vertx, PacsOptions pacs) {
    HttpClientOptions options = new HttpClientOptions().setKeepAlive(true)
        .setDecompressionSupported(true);
    if (pacs.url().startsWith("https:")) {
      options.setSsl(true).setVerifyHost(true)
          .setEnabledSecureTransportProtocols(TlsFiles.PROTOCOLS);
      pacs.caFile().ifPresent(ca -> options.setTrustOptions(new PemTrustOptions()
          .addCertPath(ca.toString())));
    }
    return vertx.createHttpClient(options);
  }

  /**
   * The {@code Authorization} header value for a request to {@code pacs}, if it has credentials.
   *
   * @return fails with {@link CredentialFileException} (naming the file, not its content) when a
   *     credential file cannot be read or is empty
   */
  public static Future<Optional<String>> authorization(Vertx vertx, PacsOptions pacs) {
    if (pacs.tokenFile().isPresent()) {
      return firstLine(vertx, pacs.tokenFile().get()).map(t -> Optional.of("Bearer " + t));
    }
    if (pacs.user().isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    Future<String> password = pacs.passwordFile().isPresent()
        ? firstLine(vertx, pacs.passwordFile().get())
        : Future.succeededFuture(pacs.password().orElse(""));
    return password.map(p -> Optional.of("Basic " + Base64.getEncoder().encodeToString(
        (pacs.user().get() + ":" + p).getBytes(StandardCharsets.UTF_8))));
  }

  private static Future<String> firstLine(Vertx vertx, Path file) {
    return vertx.fileSystem().readFile(file.toString()).recover(e -> unusable(file, "unreadable"))
        .compose(b -> {
          String line = first(b);
          return line.isEmpty() ? unusable(file, "empty") : Future.succeededFuture(line);
        });
  }

  private static <T> Future<T> unusable(Path file, String why) {
    // the operator learns which file; the caller only that the gateway's credentials failed
    LOG.warning("PACS credential file " + file + " is " + why + ": request not sent");
    return Future.failedFuture(new CredentialFileException("the gateway's credentials for "
        + "this PACS cannot be read"));
  }

  private static String first(Buffer content) {
    String text = content.toString(StandardCharsets.UTF_8);
    int end = text.indexOf('\n');
    return (end < 0 ? text : text.substring(0, end)).strip();
  }
}
