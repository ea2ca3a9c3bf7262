package io.spoils.gateway.security;

/**
 * A bearer credential was refused; the message says why for the caller (never the token).
 */
public final class CredentialException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CredentialException(String reason) {
    super(reason, null, false, false);
  }
}
