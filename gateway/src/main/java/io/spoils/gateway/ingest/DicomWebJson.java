package io.spoils.gateway.ingest;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.decision.ClinicalScores;
import io.spoils.gateway.service.Job;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The JSON body of {@code POST /v1/analyses} that names a PACS study instead of carrying it:
 * <pre>{"dicomweb": {"pacs": "orthanc", "studyInstanceUid": "1.2...",
 *               "seriesInstanceUid": "1.2..."},
 *  "odi": 45, "nrs": 6}</pre>
 * {@code seriesInstanceUid} is optional, and so is {@code pacs} on a server with one PACS
 * ({@link DicomWebClient#named}); {@code odi} (0-100 %) and {@code nrs} (0-10) are both given or
 * both left out. The fields mirror {@code spoils.v1.DicomWebStudy} and
 * {@code ClinicalScores}.
 */
public final class DicomWebJson {

  private static final Set<String> TOP = Set.of("dicomweb", "odi", "nrs");
  private static final Set<String> STUDY = Set.of("pacs", "studyInstanceUid", "seriesInstanceUid");

  private DicomWebJson() {}

  /** Whether a request with this Content-Type carries a DICOMweb reference. */
  public static boolean accepts(String contentType) {
    return contentType != null
        && contentType.toLowerCase(Locale.ROOT).startsWith("application/json");
  }

  /**
   * The job the body asks for, its PACS name checked against {@code dicomWeb}'s.
   *
   * @param maxContributions feature contributions per disc, already checked (1-50)
   *
   * @throws InvalidInputException for malformed JSON, unknown fields, bad UIDs, scores or PACS
   */
  public static Job job(DicomWebClient dicomWeb, Buffer body, boolean includeMask,
      int maxContributions) {
    JsonObject json = object(body);
    only(json, TOP, "");
    if (!(json.getValue("dicomweb") instanceof JsonObject ref)) {
      throw new InvalidInputException("the JSON body needs a \"dicomweb\" object naming the PACS "
          + "and the study");
    }
    only(ref, STUDY, "dicomweb.");
    String pacs = dicomWeb.named(text(ref, "pacs"));
    PacsStudy study = new PacsStudy(pacs, text(ref, "studyInstanceUid"),
        Optional.ofNullable(text(ref, "seriesInstanceUid")), scores(json));
    return Job.deferred(dicomWeb.source(study), includeMask, maxContributions);
  }

  private static JsonObject object(Buffer body) {
    try {
      return new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      throw new InvalidInputException("the body is not a JSON object");
    }
  }

  private static void only(JsonObject json, Set<String> allowed, String prefix) {
    for (String key : json.fieldNames()) {
      if (!allowed.contains(key)) {
        throw new InvalidInputException("unknown field \"" + prefix
            + key.replaceAll("[^A-Za-z0-9_]", "?") + "\" in the JSON body");
      }
    }
  }

  private static String text(JsonObject json, String key) {
    Object v = json.getValue(key);
    if (v != null && !(v instanceof String)) {
      throw new InvalidInputException("dicomweb." + key + " must be a string");
    }
    return (String) v;
  }

  private static Optional<ClinicalScores> scores(JsonObject json) {
    Object odi = json.getValue("odi");
    Object nrs = json.getValue("nrs");
    if (odi == null && nrs == null) {
      return Optional.empty();
    }
    if (odi == null || nrs == null) {
      throw new InvalidInputException("give both odi and nrs, or neither for an imaging-only "
          + "analysis");
    }
    if (!(odi instanceof Number o)) {
      throw new InvalidInputException("odi must be a number");
    }
    if (!(nrs instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new InvalidInputException("nrs must be an integer");
    }
    return Optional.of(new ClinicalScores(o.doubleValue(), n.intValue()));
  }
}
