package io.spoils.gateway.server;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.decision.ClinicalScores;
import io.spoils.gateway.failure.AnalysisException;
import io.spoils.gateway.failure.FailureCode;
import io.spoils.gateway.pipeline.PipelineOptions;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Validation shared by the gRPC and HTTP endpoints; every failure names its reason only. */
final class RequestChecks {

  private static final int MAX_REQUEST_ID = 128;
  /** A decimal number: digits, at most one point, a sign and an exponent. */
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");

  private RequestChecks() {}

  /** Both scores or neither; ranges checked by {@link ClinicalScores}. */
  static Optional<ClinicalScores> scores(Double odi, Integer nrs) {
    if (odi == null && nrs == null) {
      return Optional.empty();
    }
    if (odi == null || nrs == null) {
      throw new InvalidInputException("give both ODI and NRS, or neither for an imaging-only "
          + "analysis");
    }
    return Optional.of(new ClinicalScores(odi, nrs));
  }

  /** 0 means the default; at most {@link PipelineOptions#MAX_CONTRIBUTIONS}. */
  static int contributions(int requested) {
    if (requested < 0 || requested > PipelineOptions.MAX_CONTRIBUTIONS) {
      throw new InvalidInputException("max_contributions must be 0-"
          + PipelineOptions.MAX_CONTRIBUTIONS);
    }
    return requested == 0 ? PipelineOptions.DEFAULT_MAX_CONTRIBUTIONS : requested;
  }

  static void requestId(String id) {
    if (id.length() > MAX_REQUEST_ID || !id.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
      throw new InvalidInputException("request_id must be at most " + MAX_REQUEST_ID
          + " printable ASCII characters");
    }
  }

  static void fileCount(long files, int max) {
    if (files == 0) {
      throw new InvalidInputException("no DICOM file was given");
    }
    if (files > max) {
      throw new AnalysisException(FailureCode.TOO_LARGE, "the study has " + files
          + " files; this server accepts at most " + max);
    }
  }

  static void bytes(long bytes, long max) {
    if (bytes > max) {
      throw new AnalysisException(FailureCode.TOO_LARGE, "the study is larger than this server's "
          + max + "-byte limit");
    }
  }

  /**
   * A query parameter as a decimal number, or null when absent. Only digits, one point, a sign and
   * an exponent, with spaces around: {@code Double.parseDouble} alone would also take "4\0" as 4
   * (it trims control characters), "NaN", "4d" and hexadecimal.
   */
  static Double number(String name, String value) {
    if (value == null) {
      return null;
    }
    String v = spaced(value);
    if (!DECIMAL.matcher(v).matches()) {
      throw new InvalidInputException(name + " must be a number");
    }
    return Double.parseDouble(v);
  }

  /** {@code value} without the spaces around it; any other whitespace or control stays. */
  private static String spaced(String value) {
    int from = 0;
    int to = value.length();
    while (from < to && value.charAt(from) == ' ') {
      from++;
    }
    while (to > from && value.charAt(to - 1) == ' ') {
      to--;
    }
    return value.substring(from, to);
  }

  /**
   * The request's query parameters, decoded; the first call decodes them, so later calls to
   * {@code req.params()} cannot fail.
   *
   * @throws InvalidInputException for a query that is not valid percent-encoding ({@code %zz},
   *     a lone {@code %}), which Netty's decoder refuses with an IllegalArgumentException
   */
  static MultiMap query(HttpServerRequest req) {
    try {
      return req.params();
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("the query string is not valid: a % must be followed by "
          + "two hexadecimal digits");
    }
  }

  /**
   * Refuses query parameters other than {@code known}, naming them (at most 40 printable
   * characters each): a misspelt parameter ("oid" for "odi") must not be silently ignored.
   */
  static void knownParameters(Set<String> names, Set<String> known) {
    List<String> unknown = names.stream().filter(n -> !known.contains(n))
        .map(n -> "'" + (n.length() > 40 ? n.substring(0, 40) + "..." : n)
            .replaceAll("[^\\x20-\\x7E]", "?") + "'")
        .sorted().toList();
    if (!unknown.isEmpty()) {
      throw new InvalidInputException("unknown query parameter" + (unknown.size() > 1 ? "s " : " ")
          + String.join(", ", unknown) + (known.isEmpty() ? "; this route takes none"
              : "; the parameters are " + String.join(", ", known.stream().sorted().toList())));
    }
  }

  /** A parameter {@code true} or {@code false} (any case); false when absent. */
  static boolean bool(String name, String value) {
    if (value == null || spaced(value).equalsIgnoreCase("false")) {
      return false;
    }
    if (spaced(value).equalsIgnoreCase("true")) {
      return true;
    }
    throw new InvalidInputException(name + " must be true or false");
  }

  /** A query parameter as an integer, or null when absent. */
  static Integer integer(String name, String value) {
    if (value == null) {
      return null;
    }
    try {
      return Integer.parseInt(spaced(value));
    } catch (NumberFormatException e) {
      throw new InvalidInputException(name + " must be an integer");
    }
  }
}
