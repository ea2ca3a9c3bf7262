package io.spoils.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerOptionsTest {

  @TempDir
  Path dir;

  @Test
  void load_defaultsWithoutFileOrEnv() {
    ServerOptions o = ServerOptions.load(Optional.empty(), Map.of());
    assertEquals(ServerOptions.defaults(), o);
    assertEquals(8080, o.port());
    assertEquals(64L * 1024 * 1024, o.maxUploadBytes());
  }

  @Test
  void load_fileThenEnvOverride() throws Exception {
    Path file = Files.writeString(dir.resolve("server.json"),
        "{\"port\": 9090, \"maxInFlight\": 2, \"maxFiles\": 7}");
    ServerOptions o = ServerOptions.load(Optional.of(file),
        Map.of("SPOILS_MAX_IN_FLIGHT", "3", "SPOILS_MAX_UPLOAD_BYTES", "1000", "HOME", "/x"));
    assertEquals(9090, o.port());
    assertEquals(3, o.maxInFlight());
    assertEquals(7, o.maxFiles());
    assertEquals(1000, o.maxUploadBytes());
    assertEquals(ServerOptions.DEFAULT_MAX_QUEUED, o.maxQueued());
  }

  @Test
  void envName_camelToUpperSnake() {
    assertEquals("SPOILS_MAX_IN_FLIGHT", ServerOptions.envName("maxInFlight"));
    assertEquals("SPOILS_PORT", ServerOptions.envName("port"));
  }

  @Test
  void load_badValuesNamed() throws Exception {
    var e = assertThrows(InvalidInputException.class,
        () -> ServerOptions.load(Optional.empty(), Map.of("SPOILS_PORT", "eighty")));
    assertTrue(e.getMessage().contains("port"), e.getMessage());
    assertThrows(InvalidInputException.class,
        () -> ServerOptions.load(Optional.empty(), Map.of("SPOILS_MAX_IN_FLIGHT", "0")));
    assertThrows(InvalidInputException.class,
        () -> ServerOptions.load(Optional.empty(), Map.of("SPOILS_PORT", "8080.5")));
    Path unknown = Files.writeString(dir.resolve("u.json"), "{\"prot\": 1}");
    assertTrue(assertThrows(InvalidInputException.class,
        () -> ServerOptions.load(Optional.of(unknown), Map.of())).getMessage().contains("prot"));
    Path notJson = Files.writeString(dir.resolve("n.json"), "port=1");
    assertThrows(InvalidInputException.class,
        () -> ServerOptions.load(Optional.of(notJson), Map.of()));
    assertThrows(InvalidInputException.class,
        () -> ServerOptions.load(Optional.of(dir.resolve("absent.json")), Map.of()));
  }

  @Test
  void load_backendDefaultsToEmbeddedAtDocumentedTritonAddress() {
    ServerOptions o = ServerOptions.load(Optional.empty(), Map.of());
    assertEquals(ServerOptions.Backend.EMBEDDED, o.backend());
    assertEquals("localhost", o.tritonHost());
    assertEquals(8001, o.tritonPort());
  }

  @Test
  void load_backendKeysFromFileThenEnv() throws Exception {
    Path file = Files.writeString(dir.resolve("triton.json"),
        "{\"backend\": \"triton\", \"tritonHost\": \"triton.internal\", \"tritonPort\": 9001}");
    ServerOptions fromFile = ServerOptions.load(Optional.of(file), Map.of());
    assertEquals(ServerOptions.Backend.TRITON, fromFile.backend());
    assertEquals("triton.internal", fromFile.tritonHost());
    assertEquals(9001, fromFile.tritonPort());
    ServerOptions fromEnv = ServerOptions.load(Optional.of(file), Map.of("SPOILS_BACKEND",
        "Embedded", "SPOILS_TRITON_HOST", "10.0.0.7", "SPOILS_TRITON_PORT", "8101"));
    assertEquals(ServerOptions.Backend.EMBEDDED, fromEnv.backend());
    assertEquals("10.0.0.7", fromEnv.tritonHost());
    assertEquals(8101, fromEnv.tritonPort());
    assertEquals("SPOILS_TRITON_PORT", ServerOptions.envName("tritonPort"));
  }

  @Test
  void load_badBackendValuesNamed() throws Exception {
    var backend = assertThrows(InvalidInputException.class,
        () -> ServerOptions.load(Optional.empty(), Map.of("SPOILS_BACKEND", "tensorrt")));
    assertTrue(backend.getMessage().contains("backend"), backend.getMessage());
    var port = assertThrows(InvalidInputException.class,
        () -> ServerOptions.load(Optional.empty(), Map.of("SPOILS_TRITON_PORT", "0")));
    assertTrue(port.getMessage().contains("tritonPort"), port.getMessage());
    assertThrows(InvalidInputException.class,
        () -> ServerOptions.load(Optional.empty(), Map.of("SPOILS_TRITON_PORT", "65536")));
    assertThrows(InvalidInputException.class,
        () -> ServerOptions.load(Optional.empty(), Map.of("SPOILS_TRITON_PORT", "grpc")));
    Path numericHost = Files.writeString(dir.resolve("h.json"), "{\"tritonHost\": 5}");
    assertTrue(assertThrows(InvalidInputException.class,
        () -> ServerOptions.load(Optional.of(numericHost), Map.of())).getMessage()
        .contains("tritonHost"));
    Path numericBackend = Files.writeString(dir.resolve("b.json"), "{\"backend\": 1}");
    assertThrows(InvalidInputException.class,
        () -> ServerOptions.load(Optional.of(numericBackend), Map.of()));
  }

  @Test
  void load_maxQueueWaitDefaultFileThenEnv() throws Exception {
    assertEquals(ServerOptions.DEFAULT_MAX_QUEUE_WAIT_SECONDS,
        ServerOptions.load(Optional.empty(), Map.of()).maxQueueWaitSeconds());
    assertEquals(30, ServerOptions.DEFAULT_MAX_QUEUE_WAIT_SECONDS);
    Path file = Files.writeString(dir.resolve("q.json"), "{\"maxQueueWaitSeconds\": 2.5}");
    ServerOptions fromFile = ServerOptions.load(Optional.of(file), Map.of());
    assertEquals(2.5, fromFile.maxQueueWaitSeconds());
    assertEquals(java.time.Duration.ofMillis(2500), fromFile.maxQueueWait());
    assertEquals(7, ServerOptions.load(Optional.of(file),
        Map.of("SPOILS_MAX_QUEUE_WAIT_SECONDS", "7")).maxQueueWaitSeconds());
    assertEquals("SPOILS_MAX_QUEUE_WAIT_SECONDS", ServerOptions.envName("maxQueueWaitSeconds"));
    var bad = assertThrows(InvalidInputException.class, () -> ServerOptions.load(Optional.empty(),
        Map.of("SPOILS_MAX_QUEUE_WAIT_SECONDS", "0")));
    assertTrue(bad.getMessage().contains("maxQueueWaitSeconds"), bad.getMessage());
  }

  @Test
  void load_corsOriginsDefaultEmptyFileThenEnv() throws Exception {
    assertEquals(java.util.List.of(),
        ServerOptions.load(Optional.empty(), Map.of()).corsAllowedOrigins());
    Path file = Files.writeString(dir.resolve("cors.json"),
        "{\"corsAllowedOrigins\": [\"https://Viewer.Example.org\", \"http://localhost:5173\"]}");
    assertEquals(java.util.List.of("https://viewer.example.org", "http://localhost:5173"),
        ServerOptions.load(Optional.of(file), Map.of()).corsAllowedOrigins());
    assertEquals(java.util.List.of("https://a.example", "http://b.example:8443"),
        ServerOptions.load(Optional.of(file), Map.of("SPOILS_CORS_ALLOWED_ORIGINS",
            " https://a.example , http://b.example:8443,")).corsAllowedOrigins());
    assertEquals(java.util.List.of("*"), ServerOptions.load(Optional.empty(),
        Map.of("SPOILS_CORS_ALLOWED_ORIGINS", "*")).corsAllowedOrigins());
  }

  @Test
  void load_badCorsOriginsNamed() throws Exception {
    for (String bad : new String[] {"https://a.example/", "https://a.example/app", "a.example",
        "*,https://a.example", "null"}) {
      var e = assertThrows(InvalidInputException.class, () -> ServerOptions.load(Optional.empty(),
          Map.of("SPOILS_CORS_ALLOWED_ORIGINS", bad)), bad);
      assertTrue(e.getMessage().contains("corsAllowedOrigins"), e.getMessage());
    }
    Path numbers = Files.writeString(dir.resolve("cors-numbers.json"),
        "{\"corsAllowedOrigins\": [1]}");
    assertThrows(InvalidInputException.class,
        () -> ServerOptions.load(Optional.of(numbers), Map.of()));
  }
}
