package io.spoils.gateway.config;

import java.util.Locale;
import java.util.Objects;

/**
 * One setting of {@code spoils serve}, as documented: the component it configures, its key in the
 * JSON config file, its environment variable, its default and what it means. Each component's
 * options class lists its own ({@code SETTINGS}); {@link SettingsTable} renders them all as the
 * README's table, and a test keeps that table and the options in step.
 *
 * @param component the options class that holds it, e.g. {@code AdmissionOptions}
 * @param key the config-file key ({@code pacs.NAME.url} for a nested one; empty when the setting
 *     is read from the environment only)
 * @param env the environment variable ({@code NAME} stands for a PACS name in upper case)
 * @param defaultValue the default as written in the table ("none" when unset)
 * @param meaning one line: what it sets, its unit and range
 */
public record Setting(String component, String key, String env, String defaultValue,
    String meaning) {

  public Setting {
    Objects.requireNonNull(component, "component");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(defaultValue, "defaultValue");
    Objects.requireNonNull(meaning, "meaning");
  }

  /** A top-level config key with its derived variable ({@code maxInFlight}: SPOILS_MAX_IN_FLIGHT). */
  static Setting of(String component, String key, Object defaultValue, String meaning) {
    return new Setting(component, key, envName(key), String.valueOf(defaultValue), meaning);
  }

  /** {@code maxInFlight} -&gt; {@code SPOILS_MAX_IN_FLIGHT}. */
  static String envName(String key) {
    return "SPOILS_" + key.replaceAll("([A-Z])", "_$1").toUpperCase(Locale.ROOT);
  }
}
