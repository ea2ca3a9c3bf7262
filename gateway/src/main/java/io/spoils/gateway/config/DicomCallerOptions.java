package io.spoils.gateway.config;

import io.spoils.feature.InvalidInputException;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which DICOM peers the C-STORE listener ({@code ingest.DicomListener}) accepts associations from,
 * and how they connect: calling AE titles, each optionally only from one host. Empty (the
 * default): any caller, as a plain storage SCP does. A refused association gets A-ASSOCIATE-RJ
 * (permanent, "calling AE title not recognized") before any data is read. With {@link #tls()},
 * the listener speaks DICOM TLS (PS3.15 B.1: TLS 1.2 or 1.3 on the DICOM port) with the
 * listener's {@code tlsCert}/{@code tlsKey}, and with {@code tlsClientCa} requires (or, with
 * {@code tlsClientAuth} optional, accepts) a client certificate it signs.
 *
 * @param allowed the accepted callers; empty: every caller
 * @param tls whether the listener speaks TLS (default false; needs {@code tlsCert})
 */
public record DicomCallerOptions(List<Caller> allowed, boolean tls) {

  /**
   * One accepted caller.
   *
   * @param aeTitle the calling AE title, compared exactly (case matters in DICOM), without the
   *     padding spaces
   * @param host the host name or address it must connect from; empty: any host
   */
  public record Caller(String aeTitle, Optional<String> host) {

    public Caller {
      if (aeTitle == null || aeTitle.isEmpty() || aeTitle.length() > 16
          || !aeTitle.chars().allMatch(c -> c > 0x20 && c < 0x7F && c != '\\')) {
        throw new InvalidInputException("dicomAllowedCallers: an AE title is 1-16 printable "
            + "ASCII characters without spaces or backslash");
      }
      if (host.isPresent() && !HOST.matcher(host.get()).matches()) {
        throw new InvalidInputException("dicomAllowedCallers: \"" + host.get().replaceAll(
            "[^\\x20-\\x7E]", "?") + "\" is not a host name or address");
      }
    }
  }

  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:-]{1,253}");

  /** The settings, as the README's table shows them. */
  public static final List<Setting> SETTINGS = List.of(new Setting("DicomCallerOptions",
      "dicomAllowedCallers", "SPOILS_DICOM_ALLOWED_CALLERS", "any", "calling AE titles the "
          + "C-STORE listener accepts, comma-separated (file: JSON array), each `AET` or "
          + "`AET@host`; others are rejected"),
      new Setting("DicomCallerOptions", "dicomTls", "SPOILS_DICOM_TLS", "false", "the C-STORE "
          + "listener speaks DICOM TLS (TLS 1.2+) with `tlsCert`/`tlsKey`, and with "
          + "`tlsClientCa` checks client certificates as the HTTP listener does; files read at "
          + "start-up"));

  public DicomCallerOptions {
    allowed = List.copyOf(allowed);
  }

  /** Plain TCP. */
  public DicomCallerOptions(List<Caller> allowed) {
    this(allowed, false);
  }

  /** Every caller accepted, plain TCP. */
  public static DicomCallerOptions any() {
    return new DicomCallerOptions(List.of());
  }

  /** These callers, with {@code value} as {@link #tls()}. */
  public DicomCallerOptions withTls(boolean value) {
    return new DicomCallerOptions(allowed, value);
  }

  /**
   * {@link #tls()} from a config or environment value: null (false), a boolean, or "true" /
   * "false".
   *
   * @throws InvalidInputException for anything else
   */
  public static boolean parseTls(Object value) {
    if (value == null || value instanceof Boolean) {
      return Boolean.TRUE.equals(value);
    }
    String v = String.valueOf(value).trim();
    if (!v.equals("true") && !v.equals("false")) {
      throw new InvalidInputException("dicomTls must be true or false");
    }
    return Boolean.parseBoolean(v);
  }

  /**
   * The callers of a config value: null (any), a JSON array of {@code AET[@host]} strings, or
   * one comma-separated string of them.
   *
   * @throws InvalidInputException for a malformed entry
   */
  public static DicomCallerOptions parse(Object value) {
    List<String> entries = new ArrayList<>();
    if (value instanceof JsonArray a) {
      a.forEach(o -> entries.add(String.valueOf(o)));
    } else if (value instanceof String s) {
      entries.addAll(List.of(s.split(",")));
    } else if (value != null) {
      throw new InvalidInputException("dicomAllowedCallers must be an array of AET[@host] "
          + "strings or a comma-separated string");
    }
    List<Caller> out = new ArrayList<>();
    for (String e : entries) {
      String entry = e.trim();
      if (entry.isEmpty()) {
        continue;
      }
      int at = entry.lastIndexOf('@');
      out.add(at < 0 ? new Caller(entry, Optional.empty())
          : new Caller(entry.substring(0, at), Optional.of(entry.substring(at + 1))));
    }
    return new DicomCallerOptions(out);
  }

  /** Whether every caller is accepted. */
  public boolean anyCaller() {
    return allowed.isEmpty();
  }
}
