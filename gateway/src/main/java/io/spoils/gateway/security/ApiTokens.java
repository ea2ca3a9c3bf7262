package io.spoils.gateway.security;

import io.spoils.feature.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * API tokens as their SHA-256 digests (the tokens themselves are never stored), from a file of
 * lines {@code sha256:<64 hex digits> <scope>[,<scope>...]}; blank lines and lines starting with
 * {@code #} are skipped. A presented token is hashed and compared with every digest in constant
 * time ({@link MessageDigest#isEqual}), all of them each time, so that the time taken says
 * nothing about how close a guess was. Immutable and thread-safe.
 *
 * <p>Make an entry: {@code printf %s "$TOKEN" | sha256sum}.
 */
public final class ApiTokens {

  /** One token: its digest and scopes. */
  private record Entry(byte[] digest, Set<Scope> scopes) { }

  private final List<Entry> entries;

  private ApiTokens(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /**
   * Reads {@code file} (blocking: call it at start-up, off the event loop).
   *
   * @throws InvalidInputException for an unreadable file or a malformed line (named by number;
   *     the line itself is not repeated)
   */
  public static ApiTokens load(Path file) {
    try {
      return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new InvalidInputException("cannot read the tokens file " + file, e);
    }
  }

  /** The tokens of {@code lines}; {@code source} names them in errors. */
  static ApiTokens parse(List<String> lines, String source) {
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = source + " line " + (i + 1);
      String[] parts = line.split("\\s+", 2);
      String digest = parts[0].toLowerCase(Locale.ROOT);
      if (!digest.matches("sha256:[0-9a-f]{64}") || parts.length < 2) {
        throw new InvalidInputException(where + ": expected sha256:<64 hex digits of the token's "
            + "SHA-256> <scope>[,<scope>...]");
      }
      Set<Scope> scopes = EnumSet.noneOf(Scope.class);
      for (String s : parts[1].split(",")) {
        scopes.add(Scope.parse(s).orElseThrow(() -> new InvalidInputException(where
            + ": unknown scope; scopes are analyze, results:read, models:read, metrics, admin")));
      }
      out.add(new Entry(HexFormat.of().parseHex(digest.substring(7)), scopes));
    }
    return new ApiTokens(out);
  }

  /** How many tokens there are. */
  public int size() {
    return entries.size();
  }

  /** The principal of {@code token}, if it is one of these. */
  public Optional<Principal> find(String token) {
    byte[] digest = sha256(token);
    Entry found = null;
    for (Entry e : entries) {
      if (MessageDigest.isEqual(e.digest(), digest) && found == null) {
        found = e;
      }
    }
    if (found == null) {
      return Optional.empty();
    }
    String name = "token:" + HexFormat.of().formatHex(found.digest()).substring(0, 12);
    return Optional.of(new Principal(name, found.scopes()));
  }

  static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
