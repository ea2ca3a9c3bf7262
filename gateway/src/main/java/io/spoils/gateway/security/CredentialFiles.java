package io.spoils.gateway.security;

import io.spoils.feature.InvalidInputException;
import io.spoils.gateway.config.AuthOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.Arrays;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Re-reads the API tokens file and the JWKS file ({@link AuthOptions}) every
 * {@link AuthOptions#reloadSeconds()} on a worker thread, and hands a changed file's tokens or
 * keys to the running {@link Authenticator}: a token added, revoked or rotated takes effect
 * without a restart. A changed file that does not load (half written, a bad line) is logged by
 * its name and line number only, never its content, and retried at the next check; the current
 * tokens and keys stay meanwhile.
 */
public final class CredentialFiles {

  private static final Logger LOG = Logger.getLogger(CredentialFiles.class.getName());

  private final AuthOptions options;
  private final Authenticator authenticator;
  /** The contents last loaded (null: none, or not read yet); guarded by {@code this}. */
  private byte[] tokens;
  private byte[] jwks;

  /**
   * @param authenticator the one loaded from {@code options}'s files (blocking: reads them again
   *     to know what was loaded)
   */
  public CredentialFiles(AuthOptions options, Authenticator authenticator) {
    this.options = options;
    this.authenticator = authenticator;
    this.tokens = options.tokensFile().map(CredentialFiles::readOrNull).orElse(null);
    this.jwks = options.jwksFile().map(CredentialFiles::readOrNull).orElse(null);
  }

  /** Whether there is any file to watch. */
  public boolean any() {
    return options.enabled();
  }

  /**
   * Checks every {@link AuthOptions#reloadSeconds()}.
   *
   * @return the periodic timer's id: cancel it when the server closes
   */
  public long watch(Vertx vertx) {
    long period = Math.max(100, Math.round(options.reloadSeconds() * 1000));
    return vertx.setPeriodic(period, id -> check(vertx));
  }

  /**
   * Checks the files once, on a worker thread.
   *
   * @return whether a file changed and was loaded; fails when a changed file does not load
   */
  public Future<Boolean> check(Vertx vertx) {
    return vertx.executeBlocking(this::reload, false);
  }

  private synchronized boolean reload() {
    boolean changed = false;
    Optional<Path> tokensFile = options.tokensFile();
    if (tokensFile.isPresent()) {
      byte[] now = read(tokensFile.get());
      if (!Arrays.equals(now, tokens)) {
        ApiTokens loaded = load(() -> ApiTokens.parse(
            new String(now, StandardCharsets.UTF_8).lines().toList(), tokensFile.get().toString()));
        authenticator.replace(Optional.of(loaded), Optional.empty());
        tokens = now;
        changed = true;
        LOG.info("API tokens file changed: reloaded, " + loaded.size() + " tokens");
      }
    }
    Optional<Path> jwksFile = options.jwksFile();
    if (jwksFile.isPresent()) {
      byte[] now = read(jwksFile.get());
      if (!Arrays.equals(now, jwks)) {
        JwtVerifier loaded = load(() -> {
          try {
            return new JwtVerifier(com.nimbusds.jose.jwk.JWKSet.parse(
                new String(now, StandardCharsets.UTF_8)), options.issuer().orElseThrow(),
                options.audience().orElseThrow());
          } catch (ParseException e) {
            throw new InvalidInputException("the JWKS file " + jwksFile.get()
                + " is not a JSON Web Key Set", e);
          }
        });
        authenticator.replace(Optional.empty(), Optional.of(loaded));
        jwks = now;
        changed = true;
        LOG.info("JWKS file changed: reloaded");
      }
    }
    return changed;
  }

  private static <T> T load(java.util.function.Supplier<T> loader) {
    try {
      return loader.get();
    } catch (InvalidInputException e) {
      // the message names the file and line, never a token or key
      LOG.warning("credentials file changed but does not load (keeping the current one, "
          + "retrying): " + e.getMessage());
      throw e;
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      LOG.warning("credentials file " + file + " unreadable (keeping the current one, "
          + "retrying): " + e.getClass().getSimpleName());
      throw new InvalidInputException("cannot read " + file, e);
    }
  }

  private static byte[] readOrNull(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      return null;
    }
  }
}
