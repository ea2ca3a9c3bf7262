package io.spoils.gateway.server;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.decision.ClinicalScores;
import io.spoils.gateway.failure.AnalysisException;
import io.spoils.gateway.failure.FailureCode;
import io.spoils.gateway.pipeline.PipelineOptions;
import java.util.Optional;

/** Validation shared by the gRPC and HTTP endpoints; every failure names its reason only. */
final class RequestChecks {

  private static final int MAX_REQUEST_ID = 128;

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

  /** A query parameter as a number, or null when absent. */
  static Double number(String name, String value) {
    if (value == null) {
      return null;
    }
    try {
      return Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new InvalidInputException(name + " must be a number");
    }
  }

  /** A parameter {@code true} or {@code false} (any case); false when absent. */
  static boolean bool(String name, String value) {
    if (value == null || value.trim().equalsIgnoreCase("false")) {
      return false;
    }
    if (value.trim().equalsIgnoreCase("true")) {
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
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new InvalidInputException(name + " must be an integer");
    }
  }
}
