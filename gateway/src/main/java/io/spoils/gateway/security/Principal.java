package io.spoils.gateway.security;

import java.util.Objects;
import java.util.Set;

/**
 * Who called: a name safe to log (a JWT's {@code sub}, or {@code token:} and the first 12 hex
 * digits of an API token's SHA-256 digest; never the token) and what it may do.
 *
 * @param name the caller's name for logs and audit
 * @param scopes the scopes it was granted
 */
public record Principal(String name, Set<Scope> scopes) {

  public Principal {
    Objects.requireNonNull(name, "name");
    scopes = Set.copyOf(scopes);
  }

  /** Whether it was granted {@code scope} (directly or through {@link Scope#ADMIN}). */
  public boolean has(Scope scope) {
    return scopes.contains(scope) || scopes.contains(Scope.ADMIN);
  }
}
