package io.spoils.gateway.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Throw-away PEM certificates made with openssl (P-256 keys, two days): a CA, and leaves it
 * signs for a server (SAN 127.0.0.1 and localhost) or a client.
 */
public final class TestCertificates {

  private final Path dir;

  public TestCertificates(Path dir) {
    this.dir = dir;
  }

  /** A self-signed CA: {@code name.pem} and {@code name.key}. */
  public Path ca(String name) throws Exception {
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", name + ".key", "-out", name + ".pem", "-subj", "/CN=" + name, "-days", "2");
    return dir.resolve(name + ".pem");
  }

  /** A leaf signed by {@code ca}: {@code name.pem} (certificate) and {@code name.key}. */
  public Path leaf(String name, String ca, boolean server) throws Exception {
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name);
    Path ext = dir.resolve(name + ".ext");
    Files.writeString(ext, server
        ? "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n"
        : "extendedKeyUsage=clientAuth\n");
    openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key",
        "-CAcreateserial", "-out", name + ".pem", "-days", "2", "-extfile", ext.toString());
    return dir.resolve(name + ".pem");
  }

  public Path file(String name) {
    return dir.resolve(name);
  }

  private void openssl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("openssl " + String.join(" ", args) + " failed: " + out);
    }
  }
}
