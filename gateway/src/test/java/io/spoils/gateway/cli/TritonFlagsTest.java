package io.spoils.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.InvalidInputException;
import io.spoils.gateway.backend.triton.TritonHealthOptions;
import io.spoils.gateway.backend.triton.TritonOptions;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.config.TritonClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Triton's TLS and health settings from the config file, the environment and serve's flags. */
class TritonFlagsTest {

  @TempDir
  Path dir;

  private static final ServerOptions TRITON = ServerOptions.defaults()
      .withBackend(ServerOptions.Backend.TRITON, "triton.internal", 8001);

  @Test
  void options_defaults_plaintextWithDocumentedHealth() {
    TritonOptions o = TritonFlags.options(TRITON, TritonClientOptions.defaults());
    assertEquals("triton.internal", o.host());
    assertEquals(8001, o.port());
    assertTrue(o.tls().isEmpty());
    assertEquals(TritonHealthOptions.defaults(), o.health());
  }

  @Test
  void options_fileThenEnvironmentThenFlags_laterWins() throws Exception {
    Path config = dir.resolve("spoils.json");
    Files.writeString(config, """
        {"backend": "triton", "tritonCaFile": "/file/ca.pem", "tritonStartupSeconds": 120,
         "tritonHealthPeriodSeconds": 2, "tritonClientCert": "/file/gw.pem",
         "tritonClientKey": "/file/gw.key"}""");
    TritonClientOptions client = TritonClientOptions.load(Optional.of(config),
        Map.of("SPOILS_TRITON_CA_FILE", "/env/ca.pem", "SPOILS_TRITON_RETRY_MAX_SECONDS", "4"),
        Map.of("tritonClientCert", "/flag/gw.pem", "tritonClientKey", "/flag/gw.key"));
    TritonOptions o = TritonFlags.options(TRITON, client);
    assertEquals(Optional.of(Path.of("/env/ca.pem")), o.tls().orElseThrow().caFile());
    assertEquals(Optional.of(Path.of("/flag/gw.pem")), o.tls().orElseThrow().clientCert());
    assertEquals(Optional.of(Path.of("/flag/gw.key")), o.tls().orElseThrow().clientKey());
    assertEquals(new TritonHealthOptions(Duration.ofSeconds(120), Duration.ofMillis(500),
        Duration.ofSeconds(4), Duration.ofSeconds(2), Duration.ofSeconds(5)), o.health());
    // and the server config accepts those keys
    assertEquals(ServerOptions.Backend.TRITON,
        ServerOptions.load(Optional.of(config), Map.of()).backend());
  }

  @Test
  void options_tlsFlagAlone_trustsTheJvmStore() {
    TritonOptions o = TritonFlags.options(TRITON, TritonClientOptions.of(Map.of("tritonTls",
        "true")));
    assertTrue(o.tls().isPresent());
    assertTrue(o.tls().get().caFile().isEmpty());
    assertFalse(o.tls().get().mutual());
  }

  @Test
  void load_badValues_clearErrors() {
    assertEquals("tritonClientCert and tritonClientKey go together", assertThrows(
        InvalidInputException.class, () -> TritonClientOptions.of(Map.of("tritonClientCert",
            "gw.pem"))).getMessage());
    assertEquals("tritonTls must be true or false", assertThrows(InvalidInputException.class,
        () -> TritonClientOptions.of(Map.of("tritonTls", "yes"))).getMessage());
    assertTrue(assertThrows(InvalidInputException.class, () -> TritonClientOptions.of(
        Map.of("tritonStartupSeconds", "0"))).getMessage().startsWith("tritonStartupSeconds"));
    assertEquals("tritonRetryMaxSeconds must be >= tritonRetryInitialSeconds", assertThrows(
        InvalidInputException.class, () -> TritonClientOptions.of(Map.of(
            "tritonRetryInitialSeconds", "5", "tritonRetryMaxSeconds", "1"))).getMessage());
  }
}
