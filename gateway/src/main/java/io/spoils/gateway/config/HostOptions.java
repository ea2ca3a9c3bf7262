package io.spoils.gateway.config;

import io.spoils.feature.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The host names the service answers to ({@code server.HostCheck}, against DNS rebinding: a page
 * whose own name resolves to this server would otherwise call it as its own origin).
 *
 * @param allowedHosts lower-case host names or addresses, without port; {@code *.example.org}
 *     allows every subdomain of {@code example.org}. Empty (the default): every Host allowed.
 */
public record HostOptions(List<String> allowedHosts) {

  /** The settings, as the README's table shows them. */
  public static final List<Setting> SETTINGS = List.of(
      Setting.of("HostOptions", "allowedHosts", "any", "Host names the service answers to, "
          + "comma-separated (file: JSON array), `*.domain` for subdomains; others get 421"));

  private static final Pattern NAME =
      Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?|\\[[0-9a-f:.]+\\]");

  /** @throws InvalidInputException for a name that is not a host name or address */
  public HostOptions {
    List<String> out = new ArrayList<>();
    for (String h : allowedHosts) {
      String name = h.trim().toLowerCase(Locale.ROOT);
      if (!NAME.matcher(name).matches()) {
        throw new InvalidInputException("allowedHosts: \"" + h.trim().replaceAll(
            "[^\\x20-\\x7E]", "?") + "\" is not a host name (no port, scheme or path)");
      }
      if (!out.contains(name)) {
        out.add(name);
      }
    }
    allowedHosts = List.copyOf(out);
  }

  /** Every host allowed. */
  public static HostOptions any() {
    return new HostOptions(List.of());
  }
}
