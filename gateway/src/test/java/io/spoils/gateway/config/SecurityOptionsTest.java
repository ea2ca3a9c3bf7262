package io.spoils.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecurityOptionsTest {

  @Test
  void load_defaults_openPlaintextAnyHost() {
    SecurityOptions s = SecurityOptions.load(Optional.empty(), Map.of(), Map.of());
    assertFalse(s.auth().enabled());
    assertFalse(s.tls().enabled());
    assertEquals(List.of(), s.hosts().allowedHosts());
  }

  @Test
  void load_fileThenEnvironmentThenFlags(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("serve.json");
    Files.writeString(file, "{\"port\": 9090, \"authTokensFile\": \"/etc/spoils/tokens\", "
        + "\"authMetrics\": true, \"allowedHosts\": [\"Spoils.Example.org\", \"*.lan\"], "
        + "\"tlsCert\": \"/a.pem\", \"tlsKey\": \"/a.key\"}");
    SecurityOptions s = SecurityOptions.load(Optional.of(file),
        Map.of("SPOILS_AUTH_TOKENS_FILE", "/run/tokens", "SPOILS_TLS_CLIENT_CA", "/ca.pem"),
        Map.of("tlsClientAuth", "optional"));
    assertEquals(Optional.of(Path.of("/run/tokens")), s.auth().tokensFile());
    assertTrue(s.auth().metrics());
    assertEquals(List.of("spoils.example.org", "*.lan"), s.hosts().allowedHosts());
    assertEquals(Optional.of(Path.of("/ca.pem")), s.tls().clientCa());
    assertEquals(TlsOptions.ClientAuth.OPTIONAL, s.tls().clientAuth());
    // the server options read the same file and leave these keys to SecurityOptions
    assertEquals(9090, ServerOptions.load(Optional.of(file), Map.of()).port());
  }

  @Test
  void load_jwksWithoutIssuerOrAudience_refused() {
    assertThrows(InvalidInputException.class, () -> SecurityOptions.load(Optional.empty(),
        Map.of("SPOILS_AUTH_JWKS_FILE", "/jwks.json", "SPOILS_AUTH_ISSUER", "https://idp"),
        Map.of()));
  }

  @Test
  void load_badValues_refused() {
    assertThrows(InvalidInputException.class, () -> SecurityOptions.load(Optional.empty(),
        Map.of("SPOILS_AUTH_METRICS", "yes"), Map.of()));
    assertThrows(InvalidInputException.class, () -> SecurityOptions.load(Optional.empty(),
        Map.of("SPOILS_TLS_CERT", "/a.pem"), Map.of()));
    assertThrows(InvalidInputException.class, () -> SecurityOptions.load(Optional.empty(),
        Map.of("SPOILS_ALLOWED_HOSTS", "https://spoils.example.org"), Map.of()));
  }
}
