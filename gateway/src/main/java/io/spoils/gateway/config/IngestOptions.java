package io.spoils.gateway.config;

import io.spoils.feature.InvalidInputException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where studies may come from besides the request itself: DICOMweb PACS by name, and the DICOM
 * C-STORE listener ({@code ingest}). Part of {@link ServerOptions}; loaded from the same config file and
 * environment.
 *
 * <p>Config file keys: {@code "pacs": {"NAME": {"url": "...", "timeoutSeconds": 30}}},
 * {@code "dicomPort": 11112}, {@code "dicomAe": "SPOILS"}. Environment (wins over the file):
 * {@code SPOILS_PACS_<NAME>_URL} (adds or overrides PACS {@code name}, NAME upper-case),
 * {@code SPOILS_PACS_<NAME>_TIMEOUT_SECONDS}, {@code SPOILS_PACS_<NAME>_USER} and
 * {@code SPOILS_PACS_<NAME>_PASSWORD} (basic auth; the password only from the environment),
 * {@code SPOILS_DICOM_PORT}, {@code SPOILS_DICOM_AE}.
 *
 * @param pacs the PACS clients may name, by name ({@code [a-z0-9_]}, at most 32); none by default
 * @param dicomPort the C-STORE listener's TCP port (0 picks a free one); empty (the default) keeps
 *     the listener off
 * @param dicomAe the listener's AE title, 1-16 printable ASCII characters without backslash
 *     (default {@value #DEFAULT_DICOM_AE})
 * @param store where results go back to the PACS ({@link StoreOptions}; default: nowhere)
 * @param dicomCallers the calling AE titles (and hosts) the listener accepts (default: any)
 */
public record IngestOptions(Map<String, PacsOptions> pacs, OptionalInt dicomPort, String dicomAe,
    StoreOptions store, DicomCallerOptions dicomCallers) {

  public static final String DEFAULT_DICOM_AE = "SPOILS";
  private static final String PACS_ENV = "SPOILS_PACS_";
  /** The settings, as the README's table shows them (PACS entries: {@link PacsOptions}). */
  public static final List<Setting> SETTINGS = List.of(
      new Setting("IngestOptions", "dicomPort", "SPOILS_DICOM_PORT", "none (off)",
          "TCP port of the DICOM C-STORE listener (0 picks a free one)"),
      new Setting("IngestOptions", "dicomAe", "SPOILS_DICOM_AE", DEFAULT_DICOM_AE,
          "the listener's AE title, 1-16 printable ASCII characters"),
      new Setting("PacsOptions", "pacs.NAME.url", PACS_ENV + "NAME_URL", "none",
          "DICOMweb root (WADO-RS) of the PACS that clients name NAME"),
      new Setting("PacsOptions", "pacs.NAME.timeoutSeconds", PACS_ENV + "NAME_TIMEOUT_SECONDS",
          "30", "longest fetch of one study from that PACS, seconds"),
      new Setting("PacsOptions", "pacs.NAME.user", PACS_ENV + "NAME_USER", "none",
          "HTTP basic auth user for that PACS"),
      new Setting("PacsOptions", "", PACS_ENV + "NAME_PASSWORD", "none",
          "HTTP basic auth password (environment only, never the file)"),
      new Setting("PacsOptions", "pacs.NAME.passwordFile", PACS_ENV + "NAME_PASSWORD_FILE",
          "none", "file holding the basic auth password instead (read for each request)"),
      new Setting("PacsOptions", "pacs.NAME.tokenFile", PACS_ENV + "NAME_TOKEN_FILE", "none",
          "file holding a bearer token for that PACS (read for each request; not with user)"),
      new Setting("PacsOptions", "pacs.NAME.caFile", PACS_ENV + "NAME_CA_FILE", "none",
          "PEM CA certificates trusted for that PACS's https url (instead of the JVM's)"));
  /** The config-file keys these options own. */
  public static final Set<String> KEYS = Set.of("pacs", "dicomPort", "dicomAe", "store",
      "dicomAllowedCallers", "dicomTls");

  private static final Set<String> PACS_KEYS = Set.of("url", "timeoutSeconds", "user",
      "passwordFile", "tokenFile", "caFile");

  /** @throws InvalidInputException for a bad name, port or AE title */
  public IngestOptions {
    pacs = Map.copyOf(pacs);
    for (String name : pacs.keySet()) {
      PacsOptions.require(PacsOptions.NAME.matcher(name).matches(), "PACS name \"" + name
          + "\" must be 1-32 lower-case letters, digits or underscores");
    }
    PacsOptions.require(dicomPort.orElse(0) >= 0 && dicomPort.orElse(0) <= 65535,
        "dicomPort must be 0-65535");
    PacsOptions.require(dicomAe != null && !dicomAe.isBlank() && dicomAe.length() <= 16
        && dicomAe.chars().allMatch(c -> c >= 0x20 && c < 0x7F && c != '\\'),
        "dicomAe must be 1-16 printable ASCII characters without backslash");
    PacsOptions.require(store != null, "store options must be given");
    PacsOptions.require(dicomCallers != null, "dicomAllowedCallers must be given");
    PacsOptions.require(store.dicomweb().map(pacs::containsKey).orElse(true),
        "store.dicomweb names a PACS that is not configured (set pacs.NAME.url)");
  }

  /** These options storing nowhere. */
  public IngestOptions(Map<String, PacsOptions> pacs, OptionalInt dicomPort, String dicomAe) {
    this(pacs, dicomPort, dicomAe, StoreOptions.defaults());
  }

  /** These options accepting any DICOM caller. */
  public IngestOptions(Map<String, PacsOptions> pacs, OptionalInt dicomPort, String dicomAe,
      StoreOptions store) {
    this(pacs, dicomPort, dicomAe, store, DicomCallerOptions.any());
  }

  /** These options with results stored as {@code value} says. */
  public IngestOptions withStore(StoreOptions value) {
    return new IngestOptions(pacs, dicomPort, dicomAe, value, dicomCallers);
  }

  /** These options with the listener accepting only {@code value}'s callers. */
  public IngestOptions withDicomCallers(DicomCallerOptions value) {
    return new IngestOptions(pacs, dicomPort, dicomAe, store, value);
  }

  /** No PACS, listener off. */
  public static IngestOptions defaults() {
    return new IngestOptions(Map.of(), OptionalInt.empty(), DEFAULT_DICOM_AE);
  }

  public IngestOptions withPacs(String name, PacsOptions options) {
    Map<String, PacsOptions> next = new TreeMap<>(pacs);
    next.put(name, options);
    return new IngestOptions(next, dicomPort, dicomAe, store, dicomCallers);
  }

  public IngestOptions withDicomListener(int port, String aeTitle) {
    return new IngestOptions(pacs, OptionalInt.of(port), aeTitle, store, dicomCallers);
  }

  /**
   * The options in {@code file} (a server config file's object; other keys ignored), then the
   * {@code env} variables.
   *
   * @throws InvalidInputException for a malformed value or an unknown key inside a PACS entry
   */
  public static IngestOptions load(JsonObject file, Map<String, String> env) {
    Map<String, JsonObject> pacs = new TreeMap<>();
    Object fromFile = file.getValue("pacs");
    if (fromFile != null) {
      PacsOptions.require(fromFile instanceof JsonObject, "pacs must be an object of PACS by name");
      for (Map.Entry<String, Object> e : (JsonObject) fromFile) {
        PacsOptions.require(e.getValue() instanceof JsonObject, "pacs." + e.getKey()
            + " must be an object");
        JsonObject entry = ((JsonObject) e.getValue()).copy();
        for (String key : entry.fieldNames()) {
          PacsOptions.require(PACS_KEYS.contains(key), "unknown key \"" + key + "\" in pacs."
              + e.getKey() + " (allowed: url, timeoutSeconds, user, passwordFile, tokenFile, "
              + "caFile; a password itself comes from " + PACS_ENV + "<NAME>_PASSWORD)");
        }
        pacs.put(e.getKey(), entry);
      }
    }
    env.forEach((key, value) -> fromEnv(pacs, key, value));
    Map<String, PacsOptions> out = new TreeMap<>();
    pacs.forEach((name, j) -> out.put(name, pacsOptions(name, j)));
    OptionalInt port = port(env.getOrDefault("SPOILS_DICOM_PORT", portText(file)));
    String ae = Optional.ofNullable(env.get("SPOILS_DICOM_AE")).filter(v -> !v.isBlank())
        .map(String::trim).orElse(file.getValue("dicomAe") == null ? DEFAULT_DICOM_AE
            : String.valueOf(file.getValue("dicomAe")));
    String callers = env.get("SPOILS_DICOM_ALLOWED_CALLERS");
    String tls = env.get("SPOILS_DICOM_TLS");
    return new IngestOptions(out, port, ae, StoreOptions.load(file, env),
        DicomCallerOptions.parse(callers != null && !callers.isBlank() ? callers
            : file.getValue("dicomAllowedCallers")).withTls(DicomCallerOptions.parseTls(
                tls != null && !tls.isBlank() ? tls : file.getValue("dicomTls"))));
  }

  private static void fromEnv(Map<String, JsonObject> pacs, String key, String value) {
    if (!key.startsWith(PACS_ENV) || value == null || value.isBlank()) {
      return;
    }
    String rest = key.substring(PACS_ENV.length());
    for (String[] suffix : new String[][] {{"_TIMEOUT_SECONDS", "timeoutSeconds"},
        {"_PASSWORD_FILE", "passwordFile"}, {"_TOKEN_FILE", "tokenFile"}, {"_CA_FILE", "caFile"},
        {"_URL", "url"}, {"_USER", "user"}, {"_PASSWORD", "password"}}) {
      if (rest.endsWith(suffix[0]) && rest.length() > suffix[0].length()) {
        String name = rest.substring(0, rest.length() - suffix[0].length())
            .toLowerCase(Locale.ROOT);
        pacs.computeIfAbsent(name, n -> new JsonObject()).put(suffix[1], value.trim());
        return;
      }
    }
  }

  private static PacsOptions pacsOptions(String name, JsonObject j) {
    PacsOptions.require(j.getValue("url") != null, "PACS \"" + name + "\" has no url (set pacs."
        + name + ".url or " + PACS_ENV + name.toUpperCase(Locale.ROOT) + "_URL)");
    double timeout;
    try {
      Object t = j.getValue("timeoutSeconds", PacsOptions.DEFAULT_TIMEOUT_SECONDS);
      timeout = t instanceof Number n ? n.doubleValue() : Double.parseDouble(t.toString());
    } catch (NumberFormatException e) {
      throw new InvalidInputException("pacs." + name + ".timeoutSeconds must be a number");
    }
    return new PacsOptions(String.valueOf(j.getValue("url")), timeout,
        Optional.ofNullable(j.getValue("user")).map(String::valueOf),
        Optional.ofNullable(j.getValue("password")).map(String::valueOf),
        path(j, "passwordFile"), path(j, "tokenFile"), path(j, "caFile"));
  }

  private static Optional<java.nio.file.Path> path(JsonObject j, String key) {
    return Optional.ofNullable(j.getValue(key)).map(String::valueOf).filter(v -> !v.isBlank())
        .map(v -> java.nio.file.Path.of(v.trim()));
  }

  private static String portText(JsonObject file) {
    Object v = file.getValue("dicomPort");
    return v == null ? null : v.toString();
  }

  private static OptionalInt port(String text) {
    if (text == null || text.isBlank()) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(Integer.parseInt(text.trim()));
    } catch (NumberFormatException e) {
      throw new InvalidInputException("dicomPort must be an integer");
    }
  }

  /** Only what is safe to print (no passwords). */
  public JsonObject toJson() {
    JsonObject p = new JsonObject();
    pacs.forEach((name, o) -> p.put(name, new JsonObject().put("url", o.url())
        .put("timeoutSeconds", o.timeoutSeconds())));
    JsonObject j = new JsonObject().put("pacs", p).put("dicomAe", dicomAe);
    dicomPort.ifPresent(port -> j.put("dicomPort", port));
    j.put("store", store.toJson());
    return j;
  }
}
