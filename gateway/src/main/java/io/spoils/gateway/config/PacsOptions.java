package io.spoils.gateway.config;

import io.spoils.feature.InvalidInputException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One DICOMweb PACS the gateway may fetch studies from. Clients name it; they never give a URL.
 *
 * @param url the DICOMweb root (WADO-RS base), {@code http} or {@code https}, e.g.
 *     {@code http://orthanc:8042/dicom-web}; a trailing slash is dropped
 * @param timeoutSeconds the longest one study fetch may take, seconds, &gt; 0 (default
 *     {@value #DEFAULT_TIMEOUT_SECONDS}); the request's own deadline may cut it shorter
 * @param user HTTP basic auth user, with {@code password} or {@code passwordFile}; empty for no
 *     basic authentication
 * @param password HTTP basic auth password (from the environment only, never the config file)
 * @param passwordFile a file holding the basic auth password (its first line), read for each
 *     request so that a rotated password is used without a restart
 * @param tokenFile a file holding a bearer token (its first line) sent as
 *     {@code Authorization: Bearer}, read for each request; not with {@code user}
 * @param caFile PEM CA certificates trusted for an {@code https} url, instead of the JVM's trust
 *     store (a hospital's own CA); empty: the JVM's trust store
 */
public record PacsOptions(String url, double timeoutSeconds, Optional<String> user,
    Optional<String> password, Optional<Path> passwordFile, Optional<Path> tokenFile,
    Optional<Path> caFile) {

  public static final double DEFAULT_TIMEOUT_SECONDS = 30;

  /** PACS names: lower-case letters, digits and underscores, so each maps to one env prefix. */
  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_]{0,31}");

  /** @throws InvalidInputException for a bad URL, timeout or half-given credentials */
  public PacsOptions {
    require(url != null, "a PACS needs a url");
    url = url.trim();
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    require(validUrl(url),
        "a PACS url must be an absolute http or https URL without credentials or query");
    require(timeoutSeconds > 0 && Double.isFinite(timeoutSeconds),
        "a PACS timeoutSeconds must be > 0");
    user = user == null ? Optional.empty() : user.filter(u -> !u.isEmpty());
    password = password == null ? Optional.empty() : password.filter(p -> !p.isEmpty());
    passwordFile = passwordFile == null ? Optional.empty() : passwordFile;
    tokenFile = tokenFile == null ? Optional.empty() : tokenFile;
    caFile = caFile == null ? Optional.empty() : caFile;
    require(user.isPresent() == (password.isPresent() || passwordFile.isPresent()),
        "a PACS needs both user and password (or passwordFile) for basic authentication, or "
            + "neither");
    require(password.isEmpty() || passwordFile.isEmpty(),
        "a PACS password comes from the environment or from passwordFile, not both");
    require(tokenFile.isEmpty() || user.isEmpty(),
        "a PACS uses a bearer token (tokenFile) or basic authentication (user), not both");
    require(caFile.isEmpty() || url.startsWith("https:"), "a PACS caFile needs an https url");
    require(user.map(u -> !u.contains(":")).orElse(true), "a PACS user must not contain ':'");
  }

  /** Basic authentication from the environment (or none), the JVM's trust store. */
  public PacsOptions(String url, double timeoutSeconds, Optional<String> user,
      Optional<String> password) {
    this(url, timeoutSeconds, user, password, Optional.empty(), Optional.empty(),
        Optional.empty());
  }

  public static PacsOptions of(String url) {
    return new PacsOptions(url, DEFAULT_TIMEOUT_SECONDS, Optional.empty(), Optional.empty());
  }

  private static boolean validUrl(String url) {
    try {
      URI u = new URI(url);
      return ("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
          && u.getHost() != null && u.getRawUserInfo() == null && u.getRawQuery() == null
          && u.getRawFragment() == null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** Never shows the password. */
  @Override
  public String toString() {
    return "PacsOptions[url=" + url + ", timeoutSeconds=" + timeoutSeconds
        + ", user=" + user.orElse("-") + ", passwordFile=" + passwordFile.map(Path::toString)
        .orElse("-") + ", tokenFile=" + tokenFile.map(Path::toString).orElse("-") + ", caFile="
        + caFile.map(Path::toString).orElse("-") + "]";
  }

  static void require(boolean ok, String reason) {
    if (!ok) {
      throw new InvalidInputException(reason);
    }
  }
}
