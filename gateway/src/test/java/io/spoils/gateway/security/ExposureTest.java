package io.spoils.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.InvalidInputException;
import io.spoils.gateway.config.AuditOptions;
import io.spoils.gateway.config.AuthOptions;
import io.spoils.gateway.config.ExposureOptions;
import io.spoils.gateway.config.HostOptions;
import io.spoils.gateway.config.SecurityOptions;
import io.spoils.gateway.config.TlsOptions;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExposureTest {

  private static final TlsOptions TLS = new TlsOptions(Optional.of(Path.of("c.pem")),
      Optional.of(Path.of("k.pem")), Optional.empty(), TlsOptions.ClientAuth.REQUIRED, 30);
  private static final AuthOptions TOKENS = new AuthOptions(Optional.of(Path.of("tokens")),
      Optional.empty(), Optional.empty(), Optional.empty(), false, false);

  private static SecurityOptions of(AuthOptions auth, TlsOptions tls, boolean insecure) {
    return new SecurityOptions(auth, tls, HostOptions.any(), new ExposureOptions(insecure),
        AuditOptions.defaults());
  }

  @Test
  void loopback_addressesAndLocalhost() {
    assertTrue(Exposure.loopback("127.0.0.1"));
    assertTrue(Exposure.loopback("127.1.2.3"));
    assertTrue(Exposure.loopback("::1"));
    assertTrue(Exposure.loopback("[::1]"));
    assertTrue(Exposure.loopback("localhost"));
    assertFalse(Exposure.loopback("0.0.0.0"));
    assertFalse(Exposure.loopback("::"));
    assertFalse(Exposure.loopback("10.1.2.3"));
    assertFalse(Exposure.loopback("no-such-host.invalid"));
  }

  @Test
  void check_loopbackOpenPlaintext_allowedSilently() {
    assertEquals(Optional.empty(), Exposure.check("127.0.0.1", SecurityOptions.none()));
  }

  @Test
  void check_anyAddressPlaintext_refusedWithOneLineReason() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> Exposure.check("0.0.0.0", of(TOKENS, TlsOptions.none(), false)));
    assertTrue(e.getMessage().startsWith("refusing to listen on 0.0.0.0 in plaintext"),
        e.getMessage());
    assertTrue(e.getMessage().contains("--insecure"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void check_tlsWithoutAuthentication_refusedAsOpen() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> Exposure.check("0.0.0.0", of(AuthOptions.none(), TLS, false)));
    assertTrue(e.getMessage().contains("with every route open"), e.getMessage());
    assertFalse(e.getMessage().contains("plaintext"), e.getMessage());
  }

  @Test
  void check_tlsAndTokens_allowedSilently() {
    assertEquals(Optional.empty(), Exposure.check("0.0.0.0", of(TOKENS, TLS, false)));
  }

  @Test
  void check_tlsWithRequiredClientCertificates_countsAsAuthenticated() {
    TlsOptions mtls = new TlsOptions(TLS.cert(), TLS.key(), Optional.of(Path.of("ca.pem")),
        TlsOptions.ClientAuth.REQUIRED, 30);
    assertEquals(Optional.empty(), Exposure.check("0.0.0.0", of(AuthOptions.none(), mtls,
        false)));
    TlsOptions optional = new TlsOptions(TLS.cert(), TLS.key(), Optional.of(Path.of("ca.pem")),
        TlsOptions.ClientAuth.OPTIONAL, 30);
    assertThrows(InvalidInputException.class, () -> Exposure.check("0.0.0.0",
        of(AuthOptions.none(), optional, false)));
  }

  @Test
  void check_insecure_allowedWithWarningNamingWhatIsMissing() {
    String w = Exposure.check("0.0.0.0", of(AuthOptions.none(), TlsOptions.none(), true))
        .orElseThrow();
    assertTrue(w.startsWith("WARNING: --insecure: listening on 0.0.0.0 in plaintext"), w);
    assertTrue(w.contains("every route open"), w);
  }
}
