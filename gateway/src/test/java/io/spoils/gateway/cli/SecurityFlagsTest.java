package io.spoils.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.gateway.config.SecurityOptions;
import io.spoils.gateway.config.TlsOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SecurityFlagsTest {

  private static SecurityOptions parse(Map<String, String> env, String... args) {
    SecurityFlags flags = new SecurityFlags();
    new CommandLine(flags).parseArgs(args);
    return SecurityOptions.load(Optional.empty(), env, flags.values());
  }

  @Test
  void flags_winOverEnvironment() {
    SecurityOptions s = parse(Map.of("SPOILS_AUTH_TOKENS_FILE", "/env/tokens",
            "SPOILS_ALLOWED_HOSTS", "env.example"),
        "--auth-tokens-file", "/flag/tokens", "--auth-metrics", "--tls-cert", "/c.pem",
        "--tls-key", "/k.pem", "--tls-client-ca", "/ca.pem", "--tls-client-auth", "optional");
    assertEquals(Optional.of(Path.of("/flag/tokens")), s.auth().tokensFile());
    assertTrue(s.auth().metrics());
    assertEquals(TlsOptions.ClientAuth.OPTIONAL, s.tls().clientAuth());
    assertEquals(List.of("env.example"), s.hosts().allowedHosts());
    assertEquals("spoils: TLS on, client certificates optional; authentication on (API tokens); "
        + "Hosts env.example", SecurityFlags.describe(s));
  }

  @Test
  void describe_defaults_saysOpenAndPlaintext() {
    assertEquals("spoils: TLS off (plaintext); authentication off (every route open); any Host",
        SecurityFlags.describe(parse(Map.of())));
  }
}
