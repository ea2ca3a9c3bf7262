package io.spoils.gateway.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * gRPC clients the project did not write, run as processes: Debian's python3-grpcio (stubs
 * generated from {@code proto/} by Debian's protoc and grpc_python_plugin into
 * {@code target/grpcio-stubs}, made again when a .proto is newer) and curl over HTTP/2 with a
 * hand-framed body. A missing tool skips the calling test with a message ({@code bin/setup}
 * installs them). Blocking: call from the test thread, never from an event loop.
 */
final class ForeignGrpcClient {

  static final String PYTHON = "/usr/bin/python3";
  private static final Path TARGET = Path.of("target");
  private static final Path PROTO = Path.of("..", "proto");

  /** What a client saw: its status code name and status message (decoded by the client). */
  record Outcome(String code, String message) {
  }

  /** What curl saw: its exit code and the response's header and trailer lines. */
  record CurlOutcome(int exit, String headers, String stderr) {

    /** The value of header or trailer {@code name}, or null. */
    String field(String name) {
      for (String line : headers.split("\r?\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }
  }

  private ForeignGrpcClient() {
  }

  /** Runs case {@code name} of {@code grpcio_client.py} against {@code port}. */
  static Outcome grpcio(int port, String name) throws Exception {
    Path stubs = stubs();
    Path script = TARGET.resolve("grpcio_client.py");
    try (var in = ForeignGrpcClient.class.getResourceAsStream("grpcio_client.py")) {
      Files.write(script, in.readAllBytes());
    }
    Result r = run(List.of(PYTHON, script.toString(), stubs.toString(), String.valueOf(port),
        name));
    String line = r.stdout.strip();
    if (r.exit != 0 || !line.contains("\t")) {
      throw new AssertionError("grpcio client failed (" + r.exit + "): " + r.stdout + r.stderr);
    }
    int tab = line.indexOf('\t');
    return new Outcome(line.substring(0, tab), line.substring(tab + 1));
  }

  /**
   * POSTs {@code body} (gRPC-framed by the caller) to {@code method} with curl over cleartext
   * HTTP/2 (prior knowledge).
   */
  static CurlOutcome curl(int port, String method, byte[] body) throws Exception {
    require("curl", "curl");
    Files.createDirectories(TARGET);
    Path in = Files.createTempFile(TARGET, "curl-body", ".bin");
    Path headers = Files.createTempFile(TARGET, "curl-headers", ".txt");
    try {
      Files.write(in, body);
      Result r = run(List.of("curl", "-sS", "--http2-prior-knowledge", "--max-time", "30",
          "-X", "POST", "-H", "content-type: application/grpc", "-H", "te: trailers",
          "--data-binary", "@" + in, "-D", headers.toString(), "-o", "/dev/null",
          "http://127.0.0.1:" + port + "/spoils.v1.AnalysisService/" + method));
      return new CurlOutcome(r.exit, Files.readString(headers), r.stderr);
    } finally {
      Files.deleteIfExists(in);
      Files.deleteIfExists(headers);
    }
  }

  /** {@code message} as one gRPC length-prefixed message (uncompressed). */
  static byte[] frame(byte[] message) {
    byte[] out = new byte[5 + message.length];
    out[1] = (byte) (message.length >>> 24);
    out[2] = (byte) (message.length >>> 16);
    out[3] = (byte) (message.length >>> 8);
    out[4] = (byte) message.length;
    System.arraycopy(message, 0, out, 5, message.length);
    return out;
  }

  /** The Python stubs of {@code proto/spoils/v1}, generated once per run. */
  private static synchronized Path stubs() throws Exception {
    require(PYTHON, "python3-grpcio");
    require("protoc", "protobuf-compiler");
    require("grpc_python_plugin", "protobuf-compiler-grpc");
    Assumptions.assumeTrue(run(List.of(PYTHON, "-c", "import grpc")).exit == 0,
        "Debian's python3-grpcio is not installed (bin/setup installs it)");
    Path out = TARGET.resolve("grpcio-stubs");
    Path marker = out.resolve("spoils/v1/analysis_service_pb2.py");
    List<Path> protos;
    try (var files = Files.list(PROTO.resolve("spoils/v1"))) {
      protos = files.filter(p -> p.toString().endsWith(".proto")).sorted().toList();
    }
    // kept across runs in target/, made again when a .proto changed since
    if (Files.exists(marker)) {
      var made = Files.getLastModifiedTime(marker);
      boolean stale = false;
      for (Path p : protos) {
        stale |= Files.getLastModifiedTime(p).compareTo(made) > 0;
      }
      if (!stale) {
        return out;
      }
    }
    Files.createDirectories(out);
    List<String> command = new ArrayList<>(List.of("protoc", "-I", PROTO.toString(),
        "--python_out=" + out, "--grpc_python_out=" + out,
        "--plugin=protoc-gen-grpc_python=" + which("grpc_python_plugin")));
    protos.forEach(p -> command.add(PROTO.relativize(p).toString()));
    Result r = run(command);
    if (r.exit != 0) {
      throw new AssertionError("protoc failed: " + r.stderr);
    }
    return out;
  }

  private static void require(String binary, String debianPackage) throws Exception {
    Assumptions.assumeTrue(which(binary) != null,
        binary + " not found: install Debian's " + debianPackage + " (bin/setup does)");
  }

  private static String which(String binary) throws Exception {
    if (binary.startsWith("/")) {
      return Files.isExecutable(Path.of(binary)) ? binary : null;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path p = Path.of(dir, binary);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }

  private record Result(int exit, String stdout, String stderr) {
  }

  private static Result run(List<String> command) throws IOException, InterruptedException {
    Files.createDirectories(TARGET);
    Path out = Files.createTempFile(TARGET, "foreign-out", ".txt");
    Path err = Files.createTempFile(TARGET, "foreign-err", ".txt");
    try {
      Process p = new ProcessBuilder(command).redirectOutput(out.toFile())
          .redirectError(err.toFile()).start();
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("did not finish in 90 s: " + command);
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
