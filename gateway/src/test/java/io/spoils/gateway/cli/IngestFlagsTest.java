package io.spoils.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spoils.feature.InvalidInputException;
import io.spoils.gateway.config.PacsOptions;
import io.spoils.gateway.config.ServerOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class IngestFlagsTest {

  private static ServerOptions parse(Map<String, String> env, String... args) {
    IngestFlags flags = new IngestFlags();
    new CommandLine(flags).parseArgs(args);
    return ServerOptions.load(Optional.empty(), flags.over(env));
  }

  @Test
  void flags_setPacsTlsAndCredentialFiles_overridingTheEnvironment() {
    ServerOptions o = parse(Map.of("SPOILS_PACS_MAIN_URL", "http://env.example/dw",
            "SPOILS_PACS_MAIN_TOKEN_FILE", "/env/token"),
        "--pacs", "main=https://pacs.example.org/dicom-web", "--pacs-ca-file", "main=/ca.pem",
        "--pacs-token-file", "main=/run/secrets/token", "--pacs", "other=https://o.example/dw",
        "--pacs-user", "other=spoils", "--pacs-password-file", "other=/run/secrets/pw");
    PacsOptions main = o.ingest().pacs().get("main");
    assertEquals("https://pacs.example.org/dicom-web", main.url());
    assertEquals(Optional.of(Path.of("/ca.pem")), main.caFile());
    assertEquals(Optional.of(Path.of("/run/secrets/token")), main.tokenFile());
    PacsOptions other = o.ingest().pacs().get("other");
    assertEquals(Optional.of("spoils"), other.user());
    assertEquals(Optional.of(Path.of("/run/secrets/pw")), other.passwordFile());
  }

  @Test
  void flags_dicomAllowedCallers() {
    assertEquals(2, parse(Map.of(), "--dicom-allowed-callers", "MR1,PACS@10.1.2.3").ingest()
        .dicomCallers().allowed().size());
  }

  @Test
  void flags_userWithoutPassword_refusedWithReason() {
    assertThrows(InvalidInputException.class, () -> parse(Map.of(),
        "--pacs", "main=https://pacs.example.org/dw", "--pacs-user", "main=spoils"));
  }
}
