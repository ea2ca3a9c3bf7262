package io.spoils.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.gateway.backend.ModelRepository;
import io.spoils.gateway.backend.OnnxRuntimeBackend;
import io.spoils.gateway.backend.triton.TritonBackend;
import io.spoils.gateway.config.ServerOptions;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class ServeCommandTest {

  @TempDir
  Path empty;

  @Test
  void backend_embeddedByDefault(Vertx vertx) throws Exception {
    var chosen = ServeCommand.backend(vertx, ServerOptions.defaults(), ModelRepository.load(empty));
    try {
      assertInstanceOf(OnnxRuntimeBackend.class, chosen.backend());
      assertEquals("onnxruntime-cpu", chosen.label());
    } finally {
      chosen.backend().close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void backend_tritonReadinessFailsWhenModelsMissingLocally(Vertx vertx) throws Exception {
    ServerOptions options = ServerOptions.defaults()
        .withBackend(ServerOptions.Backend.TRITON, "127.0.0.1", 1);
    var chosen = ServeCommand.backend(vertx, options, ModelRepository.load(empty));
    try {
      assertInstanceOf(TritonBackend.class, chosen.backend());
      assertEquals("triton", chosen.label());
      var e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
          () -> chosen.backend().ready().toCompletionStage().toCompletableFuture()
              .get(10, TimeUnit.SECONDS));
      assertTrue(e.getCause().getMessage().contains("spine_segmentation"),
          e.getCause().getMessage());
    } finally {
      chosen.backend().close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void serve_embeddedWithoutModels_failsFastNamingTheModel() {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    int code = Spoils.run(new String[] {"serve", "--models", empty.toString(), "--host",
        "127.0.0.1", "--port", "0"}, new java.io.PrintWriter(out, true),
        new java.io.PrintWriter(err, true));
    assertEquals(Spoils.EXIT_FAILURE, code);
    assertTrue(err.toString().contains("spine_segmentation"), err.toString());
    assertTrue(err.toString().startsWith("spoils: model repository"), err.toString());
    assertEquals("", out.toString(), "nothing was served");
  }

  @Test
  void serve_anyAddressWithoutTls_refusedWithOneLineAndExit2() {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    int code = Spoils.run(new String[] {"serve", "--host", "0.0.0.0", "--port", "0"},
        new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));
    assertEquals(Spoils.EXIT_BAD_INPUT, code);
    assertTrue(err.toString().startsWith("spoils: refusing to listen on 0.0.0.0 in plaintext"),
        err.toString());
    assertEquals(1, err.toString().lines().count(), err.toString());
    assertEquals("", out.toString(), "nothing was served");
  }

  @Test
  void serve_anyAddressInsecure_warnsAndGoesOn() {
    java.io.StringWriter err = new java.io.StringWriter();
    int code = Spoils.run(new String[] {"serve", "--host", "0.0.0.0", "--insecure", "--port",
        "0", "--models", empty.resolve("absent").toString()},
        new java.io.PrintWriter(new java.io.StringWriter(), true),
        new java.io.PrintWriter(err, true));
    // past the check: the missing models stop it next
    assertEquals(Spoils.EXIT_FAILURE, code);
    assertTrue(err.toString().startsWith("spoils: WARNING: --insecure: listening on 0.0.0.0 in "
        + "plaintext"), err.toString());
    assertTrue(err.toString().contains("is not a folder"), err.toString());
  }

  @Test
  void serve_missingModelFolder_failsFast() {
    java.io.StringWriter err = new java.io.StringWriter();
    int code = Spoils.run(new String[] {"serve", "--models", empty.resolve("absent").toString(),
        "--port", "0"}, new java.io.PrintWriter(new java.io.StringWriter(), true),
        new java.io.PrintWriter(err, true));
    assertEquals(Spoils.EXIT_FAILURE, code);
    assertTrue(err.toString().contains("is not a folder"), err.toString());
  }

  /** {@code serve} with the config {@code json}; its exit code, then stdout, then stderr. */
  private String[] serve(String json, String... flags) throws Exception {
    Path config = empty.resolve("spoils.json");
    java.nio.file.Files.writeString(config, json);
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("serve", "--config",
        config.toString(), "--host", "127.0.0.1", "--port", "0"));
    args.addAll(java.util.List.of(flags));
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    int code = Spoils.run(args.toArray(String[]::new), new java.io.PrintWriter(out, true),
        new java.io.PrintWriter(err, true));
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void serve_tritonNeverReady_exitsAtTheStartupLimit() throws Exception {
    String[] r = serve("{\"backend\": \"triton\", \"tritonHost\": \"127.0.0.1\", "
        + "\"tritonPort\": " + freePort() + ", \"tritonRetryInitialSeconds\": 0.05}",
        "--triton-startup-seconds", "1");
    assertEquals(Integer.toString(Spoils.EXIT_FAILURE), r[0], r[2]);
    assertTrue(r[1].contains("spoils: serving gRPC and HTTP on 127.0.0.1:"), r[1]);
    assertTrue(r[1].contains("spoils: Triton at 127.0.0.1:"), r[1]);
    assertTrue(r[2].contains("did not pass the start-up check within 1 s"), r[2]);
    assertTrue(r[2].contains("unreachable"), r[2]);
  }

  @Test
  void serve_tritonCaFileUnreadable_badInputNamingTheSetting() throws Exception {
    String[] r = serve("{\"backend\": \"triton\"}", "--triton-ca-file",
        empty.resolve("absent.pem").toString());
    assertEquals(Integer.toString(Spoils.EXIT_BAD_INPUT), r[0], r[2]);
    assertTrue(r[2].startsWith("spoils: tritonCaFile: cannot read"), r[2]);
  }

  @Test
  void checkModels_tritonNeedsNoLocalModels() {
    ServeCommand.checkModels(ServerOptions.defaults()
        .withBackend(ServerOptions.Backend.TRITON, "127.0.0.1", 1), ModelRepository.load(empty));
  }
}
