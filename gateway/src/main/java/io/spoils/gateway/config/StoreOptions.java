package io.spoils.gateway.config;

import io.spoils.feature.InvalidInputException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an analysis' DICOM SR and SEG go back to the PACS ({@code io.spoils.gateway.output.store}):
 * by STOW-RS to a configured DICOMweb PACS and/or by C-STORE to an application entity. Results are
 * stored when a request asks ({@code store_results}) and, with {@link #pacsStudies()}, for every
 * study received by C-STORE or fetched by DICOMweb. Part of {@link IngestOptions}; config-file
 * object {@code "store": {...}}, each key also an {@code SPOILS_STORE_*} variable (wins).
 *
 * @param dicomweb the name of a configured PACS ({@code pacs.NAME}) whose DICOMweb root receives
 *     the objects ({@code POST {url}/studies}, its credentials); empty for none (the default)
 * @param ae the C-STORE destination; empty for none (the default)
 * @param callingAe our AE title when storing; empty: the listener's {@code dicomAe}
 * @param pacsStudies whether results of studies received by C-STORE or fetched by DICOMweb are
 *     stored without being asked (default false)
 * @param timeoutSeconds the longest storing one analysis' objects may take, all destinations and
 *     tries together, seconds, &gt; 0 (default {@value #DEFAULT_TIMEOUT_SECONDS})
 * @param attempts tries per destination, 1-10 (default {@value #DEFAULT_ATTEMPTS}); the waits
 *     between them start at {@value #FIRST_BACKOFF_MS} ms and double
 */
public record StoreOptions(Optional<String> dicomweb, Optional<Ae> ae, Optional<String> callingAe,
    boolean pacsStudies, double timeoutSeconds, int attempts) {

  public static final double DEFAULT_TIMEOUT_SECONDS = 30;
  public static final int DEFAULT_ATTEMPTS = 3;
  /** The first wait between tries, milliseconds; each later wait doubles. */
  public static final long FIRST_BACKOFF_MS = 500;
  private static final String C = "StoreOptions";
  /** The settings, as the README's table shows them. */
  public static final List<Setting> SETTINGS = List.of(
      new Setting(C, "store.dicomweb", "SPOILS_STORE_DICOMWEB", "none",
          "name of the configured PACS (pacs.NAME) that receives the SR and SEG by STOW-RS"),
      new Setting(C, "store.ae", "SPOILS_STORE_AE", "none",
          "C-STORE destination of the SR and SEG, AET@host:port"),
      new Setting(C, "store.callingAe", "SPOILS_STORE_CALLING_AE", "dicomAe",
          "our AE title when storing by C-STORE"),
      new Setting(C, "store.pacsStudies", "SPOILS_STORE_PACS_STUDIES", "false",
          "store the results of every study received by C-STORE or fetched by DICOMweb"),
      new Setting(C, "store.timeoutSeconds", "SPOILS_STORE_TIMEOUT_SECONDS",
          String.valueOf((int) DEFAULT_TIMEOUT_SECONDS),
          "longest storing of one analysis' SR and SEG, all tries together, seconds"),
      new Setting(C, "store.attempts", "SPOILS_STORE_ATTEMPTS", String.valueOf(DEFAULT_ATTEMPTS),
          "tries per destination, 1-10, waits from " + FIRST_BACKOFF_MS + " ms doubling"));

  private static final Set<String> KEYS = Set.of("dicomweb", "ae", "callingAe", "pacsStudies",
      "timeoutSeconds", "attempts");
  private static final Pattern AE = Pattern.compile("([^@]{1,16})@(.+):(\\d{1,5})");

  /**
   * A C-STORE destination.
   *
   * @param title its called AE title, 1-16 printable ASCII characters without backslash
   * @param host its host name or address
   * @param port its TCP port, 1-65535
   */
  public record Ae(String title, String host, int port) {
    public Ae {
      require(validTitle(title), "store.ae: the AE title must be 1-16 printable ASCII characters "
          + "without backslash");
      require(host != null && !host.isBlank() && !host.contains("/"), "store.ae: no host");
      require(port >= 1 && port <= 65535, "store.ae: the port must be 1-65535");
    }

    /** {@code AET@host:port}. */
    public static Ae parse(String text) {
      Matcher m = AE.matcher(text.trim());
      require(m.matches(), "store.ae must be AET@host:port, e.g. PACS@pacs.example.org:104");
      return new Ae(m.group(1), m.group(2), Integer.parseInt(m.group(3)));
    }

    @Override
    public String toString() {
      return title + "@" + host + ":" + port;
    }
  }

  /** @throws InvalidInputException for a bad value */
  public StoreOptions {
    require(timeoutSeconds > 0 && Double.isFinite(timeoutSeconds),
        "store.timeoutSeconds must be > 0");
    require(attempts >= 1 && attempts <= 10, "store.attempts must be 1-10");
    require(!pacsStudies || dicomweb.isPresent() || ae.isPresent(),
        "store.pacsStudies needs a destination: store.dicomweb or store.ae");
    require(callingAe.map(StoreOptions::validTitle).orElse(true),
        "store.callingAe must be 1-16 printable ASCII characters without backslash");
  }

  /** Nothing stored. */
  public static StoreOptions defaults() {
    return new StoreOptions(Optional.empty(), Optional.empty(), Optional.empty(), false,
        DEFAULT_TIMEOUT_SECONDS, DEFAULT_ATTEMPTS);
  }

  /** Whether any destination is configured. */
  public boolean enabled() {
    return dicomweb.isPresent() || ae.isPresent();
  }

  /** These options with STOW-RS to the configured PACS {@code pacs}. */
  public StoreOptions withDicomweb(String pacs) {
    return new StoreOptions(Optional.of(pacs), ae, callingAe, pacsStudies, timeoutSeconds,
        attempts);
  }

  /** These options with C-STORE to {@code destination}. */
  public StoreOptions withAe(Ae destination) {
    return new StoreOptions(dicomweb, Optional.of(destination), callingAe, pacsStudies,
        timeoutSeconds, attempts);
  }

  /** These options with results of PACS studies stored or not. */
  public StoreOptions withPacsStudies(boolean value) {
    return new StoreOptions(dicomweb, ae, callingAe, value, timeoutSeconds, attempts);
  }

  /** These options with {@code seconds} for all tries and {@code tries} per destination. */
  public StoreOptions withRetries(double seconds, int tries) {
    return new StoreOptions(dicomweb, ae, callingAe, pacsStudies, seconds, tries);
  }

  /**
   * The file's {@code store} object, then the {@code SPOILS_STORE_*} variables of {@code env}.
   *
   * @throws InvalidInputException for an unknown key or a malformed value
   */
  static StoreOptions load(JsonObject file, Map<String, String> env) {
    Object value = file.getValue("store");
    require(value == null || value instanceof JsonObject, "store must be an object");
    JsonObject j = value == null ? new JsonObject() : ((JsonObject) value).copy();
    for (String key : j.fieldNames()) {
      require(KEYS.contains(key), "unknown key \"" + key.replaceAll("[^A-Za-z0-9_]", "?")
          + "\" in store (allowed: " + String.join(", ", new java.util.TreeSet<>(KEYS)) + ")");
    }
    for (String key : KEYS) {
      String v = env.get(Setting.envName("store" + Character.toUpperCase(key.charAt(0))
          + key.substring(1)));
      if (v != null && !v.isBlank()) {
        j.put(key, v.trim());
      }
    }
    return new StoreOptions(text(j, "dicomweb"), text(j, "ae").map(Ae::parse),
        text(j, "callingAe"), bool(j, "pacsStudies"),
        number(j, "timeoutSeconds", DEFAULT_TIMEOUT_SECONDS),
        (int) number(j, "attempts", DEFAULT_ATTEMPTS));
  }

  private static Optional<String> text(JsonObject j, String key) {
    Object v = j.getValue(key);
    require(v == null || v instanceof String, "store." + key + " must be a string");
    return Optional.ofNullable((String) v).map(String::trim).filter(s -> !s.isEmpty());
  }

  private static boolean bool(JsonObject j, String key) {
    Object v = j.getValue(key);
    if (v == null || v instanceof Boolean) {
      return Boolean.TRUE.equals(v);
    }
    String s = v.toString().trim().toLowerCase(Locale.ROOT);
    require(s.equals("true") || s.equals("false"), "store." + key + " must be true or false");
    return s.equals("true");
  }

  private static double number(JsonObject j, String key, double fallback) {
    Object v = j.getValue(key);
    try {
      double d = v == null ? fallback
          : v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString());
      require(!key.equals("attempts") || d == Math.rint(d), "store.attempts must be an integer");
      return d;
    } catch (NumberFormatException e) {
      throw new InvalidInputException("store." + key + " must be a number");
    }
  }

  private static boolean validTitle(String title) {
    return title != null && !title.isBlank() && title.length() <= 16
        && title.chars().allMatch(c -> c >= 0x20 && c < 0x7F && c != '\\');
  }

  /** Only what is safe to print. */
  JsonObject toJson() {
    JsonObject j = new JsonObject().put("pacsStudies", pacsStudies)
        .put("timeoutSeconds", timeoutSeconds).put("attempts", attempts);
    dicomweb.ifPresent(p -> j.put("dicomweb", p));
    ae.ifPresent(a -> j.put("ae", a.toString()));
    callingAe.ifPresent(a -> j.put("callingAe", a));
    return j;
  }

  private static void require(boolean ok, String reason) {
    if (!ok) {
      throw new InvalidInputException(reason);
    }
  }
}
