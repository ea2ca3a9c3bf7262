package io.spoils.gateway.config;

import io.spoils.feature.InvalidInputException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Raw setting values by config key, as a config file, the {@code SPOILS_*} environment and
 * {@code serve}'s flags give them (each later one wins), and their typed readings, for the options
 * records that take all three ({@link SecurityOptions}, {@link TritonClientOptions}). Absent or
 * blank values read as the default; a malformed one is an {@link InvalidInputException} naming
 * the key.
 */
final class RawSettings {

  private RawSettings() { }

  /** Puts {@code key}'s variable from {@code env}, then its flag, over {@code values}. */
  static void overlay(Map<String, String> values, String key, Map<String, String> env,
      Map<String, String> flags) {
    String e = env.get(Setting.envName(key));
    if (e != null && !e.isBlank()) {
      values.put(key, e.trim());
    }
    String f = flags.get(key);
    if (f != null && !f.isBlank()) {
      values.put(key, f.trim());
    }
  }

  /** The trimmed value, empty when absent or blank. */
  static Optional<String> text(Map<String, String> values, String key) {
    String v = values.get(key);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  static Optional<Path> path(Map<String, String> values, String key) {
    return text(values, key).map(Path::of);
  }

  /** {@code true} or {@code false} in any case; false when absent. */
  static boolean bool(Map<String, String> values, String key) {
    Optional<String> v = text(values, key).map(s -> s.toLowerCase(Locale.ROOT));
    require(v.isEmpty() || v.get().equals("true") || v.get().equals("false"),
        key + " must be true or false");
    return v.map(Boolean::parseBoolean).orElse(false);
  }

  /** @throws InvalidInputException with {@code reason} unless {@code ok} */
  static void require(boolean ok, String reason) {
    if (!ok) {
      throw new InvalidInputException(reason);
    }
  }
}
