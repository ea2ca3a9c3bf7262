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
}
