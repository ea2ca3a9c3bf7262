package io.spoils.gateway.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The media ranges of an HTTP {@code Accept} header with their q-values (RFC 9110 section 12.5.1).
 * Lenient on purpose: a malformed range or q-value is skipped rather than failing the request, so
 * one odd entry from a client library does not cost the caller its answer. Media-type parameters
 * other than {@code q} are ignored.
 */
final class MediaRanges {

  /**
   * One range.
   *
   * @param type main type in lower case, or {@code *}
   * @param subtype subtype in lower case, or {@code *}
   * @param q weight, 0-1
   */
  record Range(String type, String subtype, double q) {

    /** 3 exact, 2 {@code type/*}, 1 {@code *}{@code /*}, 0 no match. */
    int specificity(String candidateType, String candidateSubtype) {
      if (type.equals("*")) {
        return 1;
      }
      if (!type.equals(candidateType)) {
        return 0;
      }
      return subtype.equals("*") ? 2 : subtype.equals(candidateSubtype) ? 3 : 0;
    }
  }

  private final List<Range> ranges;

  private MediaRanges(List<Range> ranges) {
    this.ranges = ranges;
  }

  /** The ranges of {@code header} (never null), in header order. */
  static MediaRanges parse(String header) {
    List<Range> out = new ArrayList<>();
    for (String part : header.split(",")) {
      String[] params = part.split(";");
      String[] type = params[0].trim().toLowerCase(Locale.ROOT).split("/", -1);
      if (type.length != 2 || type[0].isEmpty() || type[1].isEmpty()
          || (type[0].equals("*") && !type[1].equals("*"))) {
        continue;
      }
      Double q = 1.0;
      for (int i = 1; i < params.length && q != null; i++) {
        String[] kv = params[i].trim().split("=", 2);
        if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("q")) {
          q = weight(kv[1].trim());
        }
      }
      if (q != null) {
        out.add(new Range(type[0], type[1], q));
      }
    }
    return new MediaRanges(List.copyOf(out));
  }

  /** The ranges parsed. */
  List<Range> ranges() {
    return ranges;
  }

  /**
   * The q-value the header gives {@code mediaType} ({@code type/subtype}, no parameters): that of
   * the most specific matching range (the first of equally specific ones); 0 when none matches.
   */
  double quality(String mediaType) {
    String[] t = mediaType.toLowerCase(Locale.ROOT).split("/", 2);
    int best = 0;
    double q = 0;
    for (Range r : ranges) {
      int s = r.specificity(t[0], t[1]);
      if (s > best) {
        best = s;
        q = r.q();
      }
    }
    return q;
  }

  /** A qvalue ({@code 0}, {@code 0.5}, {@code 1.000}), or null when malformed. */
  private static Double weight(String value) {
    if (!value.matches("0(\\.\\d{0,3})?|1(\\.0{0,3})?")) {
      return null;
    }
    return Double.parseDouble(value);
  }
}
