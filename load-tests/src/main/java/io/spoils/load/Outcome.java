package io.spoils.load;

import java.util.Map;
import java.util.Objects;

/**
 * How one request ended, as the client saw it. Times are nanoseconds from the request's intended
 * start (in the open model, the moment its arrival was scheduled, so time spent waiting behind
 * slower requests counts).
 *
 * @param code {@code OK}, a gRPC status name (e.g. {@code RESOURCE_EXHAUSTED}),
 *     {@code HTTP_<status>} (e.g. {@code HTTP_429}), or a client-side code: {@code TRANSPORT} (no
 *     connection or connection lost), {@code TIMEOUT} (HTTP idle timeout; over gRPC the client's
 *     deadline gives {@code DEADLINE_EXCEEDED}), {@code NO_SUMMARY} (stream ended without a
 *     summary), {@code BAD_SUMMARY} (a summary line that is not an AnalysisEvent)
 * @param kind OK, rejected at the server's limits, or another error
 * @param latencyNanos from the intended start to the end of the answer
 * @param firstDiscNanos from the intended start to the first disc event; -1 when none came
 * @param stagesMs the server's per-stage wall times from the summary (stage name to ms); empty
 *     unless OK
 */
public record Outcome(String code, Kind kind, long latencyNanos, long firstDiscNanos,
    Map<String, Double> stagesMs) {

  /** Classes of outcome the report keeps apart. */
  public enum Kind {
    /** The stream ended with a summary. */
    OK,
    /** Refused at the server's limits: gRPC RESOURCE_EXHAUSTED or HTTP 429. */
    REJECTED,
    /** Anything else. */
    ERROR
  }

  public Outcome {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(kind, "kind");
    stagesMs = Map.copyOf(stagesMs);
  }

  /** A failure with {@code code}; rejections are recognised by their code. */
  public static Outcome failed(String code, long latencyNanos, long firstDiscNanos) {
    Kind kind = code.equals("RESOURCE_EXHAUSTED") || code.equals("HTTP_429") ? Kind.REJECTED
        : Kind.ERROR;
    return new Outcome(code, kind, latencyNanos, firstDiscNanos, Map.of());
  }
}
