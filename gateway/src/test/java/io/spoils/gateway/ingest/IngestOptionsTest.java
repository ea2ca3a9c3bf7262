package io.spoils.gateway.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.InvalidInputException;
import io.spoils.gateway.config.IngestOptions;
import io.spoils.gateway.config.PacsOptions;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.failure.Failure;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestOptionsTest {

  @TempDir
  Path dir;

  private Path config(String json) throws Exception {
    Path file = dir.resolve("server.json");
    Files.writeString(file, json);
    return file;
  }

  @Test
  void load_defaultsNoPacsListenerOff() {
    IngestOptions o = ServerOptions.load(Optional.empty(), Map.of()).ingest();
    assertTrue(o.pacs().isEmpty());
    assertEquals(OptionalInt.empty(), o.dicomPort());
    assertEquals("SPOILS", o.dicomAe());
  }

  @Test
  void load_pacsFromFileThenEnv() throws Exception {
    Path file = config("{\"port\": 9000, \"pacs\": {\"orthanc\": {\"url\": "
        + "\"http://pacs:8042/dicom-web/\", \"timeoutSeconds\": 12}}, \"dicomPort\": 11112}");
    ServerOptions o = ServerOptions.load(Optional.of(file), Map.of(
        "SPOILS_PACS_ORTHANC_USER", "spoils", "SPOILS_PACS_ORTHANC_PASSWORD", "secret",
        "SPOILS_PACS_MAIN_PACS_URL", "https://main.example/wado",
        "SPOILS_PACS_MAIN_PACS_TIMEOUT_SECONDS", "5", "SPOILS_DICOM_AE", "GATEWAY"));
    assertEquals(9000, o.port());
    PacsOptions orthanc = o.ingest().pacs().get("orthanc");
    assertEquals("http://pacs:8042/dicom-web", orthanc.url());
    assertEquals(12, orthanc.timeoutSeconds());
    assertEquals(Optional.of("secret"), orthanc.password());
    assertFalse(orthanc.toString().contains("secret"));
    PacsOptions main = o.ingest().pacs().get("main_pacs");
    assertEquals("https://main.example/wado", main.url());
    assertEquals(5, main.timeoutSeconds());
    assertEquals(OptionalInt.of(11112), o.ingest().dicomPort());
    assertEquals("GATEWAY", o.ingest().dicomAe());
  }

  @Test
  void load_envPortWinsOverFile() throws Exception {
    Path file = config("{\"dicomPort\": 11112}");
    assertEquals(OptionalInt.of(4242), ServerOptions.load(Optional.of(file),
        Map.of("SPOILS_DICOM_PORT", "4242")).ingest().dicomPort());
  }

  @Test
  void load_badValuesNamed() throws Exception {
    assertMessage("password", config("{\"pacs\": {\"a\": {\"url\": \"http://x\", "
        + "\"password\": \"p\"}}}"), Map.of());
    assertMessage("url", config("{\"pacs\": {\"a\": {\"url\": \"ftp://x\"}}}"), Map.of());
    assertMessage("url", config("{\"pacs\": {\"a\": {\"url\": \"http://u:p@x\"}}}"), Map.of());
    assertMessage("has no url", config("{}"), Map.of("SPOILS_PACS_B_USER", "u"));
    assertMessage("both user and password", config("{}"),
        Map.of("SPOILS_PACS_B_URL", "http://x", "SPOILS_PACS_B_USER", "u"));
    assertMessage("PACS name", config("{\"pacs\": {\"Main-PACS\": {\"url\": \"http://x\"}}}"),
        Map.of());
    assertMessage("dicomPort", config("{}"), Map.of("SPOILS_DICOM_PORT", "eleven"));
    assertMessage("dicomPort", config("{\"dicomPort\": 70000}"), Map.of());
    assertMessage("dicomAe", config("{\"dicomAe\": \"MUCH_TOO_LONG_AE_TITLE\"}"), Map.of());
    assertMessage("timeoutSeconds", config("{\"pacs\": {\"a\": {\"url\": \"http://x\", "
        + "\"timeoutSeconds\": 0}}}"), Map.of());
  }

  private static void assertMessage(String part, Path file, Map<String, String> env) {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> ServerOptions.load(Optional.of(file), env));
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }

  @Test
  void pacsStudy_malformedUid_invalidWithoutEcho() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> new PacsStudy("a",
        "1.2.03.4", Optional.empty(), Optional.empty()));
    assertFalse(e.getMessage().contains("1.2.03"));
    assertThrows(InvalidInputException.class, () -> new PacsStudy("a", "1.2",
        Optional.of("9".repeat(65)), Optional.empty()));
    assertThrows(InvalidInputException.class, () -> new PacsStudy("", "1.2", Optional.empty(),
        Optional.empty()));
    PacsStudy ok = new PacsStudy("a", "1.2.840.10008", Optional.of("0.1"), Optional.empty());
    assertFalse(ok.toString().contains("1.2.840"));
  }

  @Test
  void errorMapping_pacsFailures_statusPerKind() {
    assertEquals(GrpcStatus.NOT_FOUND, map(PacsException.Status.NOT_FOUND).grpc());
    assertEquals(404, map(PacsException.Status.NOT_FOUND).http());
    assertEquals(GrpcStatus.UNAVAILABLE, map(PacsException.Status.UNAVAILABLE).grpc());
    assertEquals(503, map(PacsException.Status.UNAVAILABLE).http());
    assertEquals(502, map(PacsException.Status.BAD_RESPONSE).http());
    assertEquals(GrpcStatus.DEADLINE_EXCEEDED,
        map(PacsException.Status.DEADLINE_EXCEEDED).grpc());
    assertEquals("why", map(PacsException.Status.NOT_FOUND).detail());
  }

  private static Failure map(PacsException.Status status) {
    return Failure.of(new PacsException(status, "why"));
  }

  @Test
  void load_pacsTlsAndCredentialFiles_fromFileAndEnvironment() {
    IngestOptions o = IngestOptions.load(new io.vertx.core.json.JsonObject().put("pacs",
        new io.vertx.core.json.JsonObject().put("main", new io.vertx.core.json.JsonObject()
            .put("url", "https://pacs.example.org/dicom-web").put("caFile", "/etc/ca.pem")
            .put("user", "spoils").put("passwordFile", "/run/secrets/pacs-password"))),
        Map.of("SPOILS_PACS_OTHER_URL", "https://other.example.org/wado",
            "SPOILS_PACS_OTHER_TOKEN_FILE", "/run/secrets/other-token"));
    PacsOptions main = o.pacs().get("main");
    assertEquals(Optional.of(Path.of("/etc/ca.pem")), main.caFile());
    assertEquals(Optional.of(Path.of("/run/secrets/pacs-password")), main.passwordFile());
    assertEquals(Optional.of(Path.of("/run/secrets/other-token")),
        o.pacs().get("other").tokenFile());
  }

  @Test
  void pacsOptions_conflictingCredentials_refusedWithReason() {
    Optional<Path> file = Optional.of(Path.of("/f"));
    assertThrows(InvalidInputException.class, () -> new PacsOptions("https://p/dw", 5,
        Optional.of("u"), Optional.empty(), file, file, Optional.empty()));
    assertThrows(InvalidInputException.class, () -> new PacsOptions("https://p/dw", 5,
        Optional.of("u"), Optional.of("pw"), file, Optional.empty(), Optional.empty()));
    assertThrows(InvalidInputException.class, () -> new PacsOptions("http://p/dw", 5,
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), file));
  }
}
