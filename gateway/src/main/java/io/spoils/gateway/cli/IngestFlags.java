package io.spoils.gateway.cli;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code serve}'s ingest flags: {@code --dicom-allowed-callers}, {@code --dicom-tls}, and the DICOMweb PACS flags, each
 * {@code NAME=VALUE} for the PACS clients name NAME and repeatable: the same settings as the config file's {@code pacs.NAME.*} keys and the
 * {@code SPOILS_PACS_<NAME>_*} variables ({@code io.spoils.gateway.config.IngestOptions}), which a
 * flag overrides. Credentials themselves are never flags: the password and the token come from
 * files.
 */
final class IngestFlags {

  @Option(names = "--pacs", paramLabel = "NAME=URL",
      description = "DICOMweb root of a PACS clients may name NAME (repeatable).")
  private Map<String, String> url = new LinkedHashMap<>();

  @Option(names = "--pacs-ca-file", paramLabel = "NAME=PEM",
      description = "CA certificates trusted for PACS NAME's https url.")
  private Map<String, String> caFile = new LinkedHashMap<>();

  @Option(names = "--pacs-token-file", paramLabel = "NAME=FILE",
      description = "File holding the bearer token sent to PACS NAME.")
  private Map<String, String> tokenFile = new LinkedHashMap<>();

  @Option(names = "--pacs-user", paramLabel = "NAME=USER",
      description = "Basic auth user for PACS NAME (with --pacs-password-file).")
  private Map<String, String> user = new LinkedHashMap<>();

  @Option(names = "--pacs-password-file", paramLabel = "NAME=FILE",
      description = "File holding the basic auth password for PACS NAME.")
  private Map<String, String> passwordFile = new LinkedHashMap<>();

  @Option(names = "--dicom-allowed-callers", paramLabel = "AETS",
      description = "Calling AE titles the C-STORE listener accepts, comma-separated, each AET "
          + "or AET@host (default: any).")
  private String dicomAllowedCallers;

  @Option(names = "--dicom-tls", description = "The C-STORE listener speaks DICOM TLS with "
      + "--tls-cert/--tls-key (and --tls-client-ca for client certificates).")
  private boolean dicomTls;

  /** {@code env} with the flags put in as their {@code SPOILS_*} variables. */
  Map<String, String> over(Map<String, String> env) {
    Map<String, String> out = new HashMap<>(env);
    if (dicomAllowedCallers != null) {
      out.put("SPOILS_DICOM_ALLOWED_CALLERS", dicomAllowedCallers);
    }
    if (dicomTls) {
      out.put("SPOILS_DICOM_TLS", "true");
    }
    put(out, url, "URL");
    put(out, caFile, "CA_FILE");
    put(out, tokenFile, "TOKEN_FILE");
    put(out, user, "USER");
    put(out, passwordFile, "PASSWORD_FILE");
    return out;
  }

  private static void put(Map<String, String> out, Map<String, String> flags, String suffix) {
    flags.forEach((name, value) -> out.put("SPOILS_PACS_" + name.trim()
        .toUpperCase(Locale.ROOT) + "_" + suffix, value));
  }
}
