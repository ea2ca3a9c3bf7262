package io.spoils.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.InvalidInputException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiTokensTest {

  private static final String TOKEN = "s3cret-token";

  @Test
  void parse_commentsAndBlankLines_skipped() {
    ApiTokens tokens = ApiTokens.parse(List.of("# comment", "", "  "
        + TokenAuthenticationTest.sha256(TOKEN).toUpperCase().replace("SHA256", "sha256")
        + "  analyze,results:read"), "t");
    assertEquals(1, tokens.size());
    Principal p = tokens.find(TOKEN).orElseThrow();
    assertEquals(Set.of(Scope.ANALYZE, Scope.RESULTS_READ), p.scopes());
    assertFalse(p.name().contains(TOKEN));
    assertTrue(p.name().startsWith("token:"));
  }

  @Test
  void find_otherToken_empty() {
    ApiTokens tokens = ApiTokens.parse(List.of(TokenAuthenticationTest.sha256(TOKEN) + " admin"),
        "t");
    assertTrue(tokens.find(TOKEN + "x").isEmpty());
    assertTrue(tokens.find(TOKEN).orElseThrow().has(Scope.METRICS), "admin has every scope");
  }

  @Test
  void parse_cleartextOrUnknownScope_refusedWithoutRepeatingTheLine() {
    InvalidInputException clear = assertThrows(InvalidInputException.class,
        () -> ApiTokens.parse(List.of(TOKEN + " analyze"), "tokens"));
    assertTrue(clear.getMessage().contains("tokens line 1"));
    assertFalse(clear.getMessage().contains(TOKEN));
    assertThrows(InvalidInputException.class, () -> ApiTokens.parse(
        List.of(TokenAuthenticationTest.sha256(TOKEN) + " root"), "tokens"));
    assertThrows(InvalidInputException.class, () -> ApiTokens.parse(
        List.of(TokenAuthenticationTest.sha256(TOKEN)), "tokens"));
  }
}
