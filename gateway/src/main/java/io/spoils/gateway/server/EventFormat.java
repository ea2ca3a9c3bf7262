package io.spoils.gateway.server;

import io.spoils.gateway.failure.AnalysisException;
import io.spoils.gateway.failure.FailureCode;
import io.spoils.proto.v1.AnalysisEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * How the events of one HTTP analysis are framed on the wire; chosen per request from its
 * {@code Accept} header ({@link #negotiate}). Every event is one line of JSON in the proto JSON
 * mapping of {@code spoils.v1.AnalysisEvent} (no whitespace, so never a line break inside).
 */
enum EventFormat {

  /**
   * {@code application/x-ndjson}, the default: one event per line; a failure after the stream
   * started is a last line {@code {"error": PROBLEM}}.
   */
  NDJSON("application/x-ndjson") {
    @Override
    Buffer event(AnalysisEvent event, String json) {
      return Buffer.buffer(json.length() + 1).appendString(json).appendString("\n");
    }

    @Override
    Buffer error(JsonObject problem) {
      return Buffer.buffer(new JsonObject().put("error", problem).encode() + "\n");
    }
  },

  /**
   * {@code text/event-stream} (Server-Sent Events): per event the lines {@code event: KIND}
   * ({@code accepted}, {@code segmentation}, {@code disc}, {@code summary}, {@code warning}),
   * {@code id: SEQUENCE} and {@code data: JSON}, then a blank line. A failure after the stream
   * started is an {@code event: error} whose data is the problem JSON.
   */
  SSE("text/event-stream") {
    @Override
    Buffer event(AnalysisEvent event, String json) {
      return Buffer.buffer("event: " + kind(event) + "\nid: " + event.getSequence() + "\ndata: "
          + json + "\n\n");
    }

    @Override
    Buffer error(JsonObject problem) {
      return Buffer.buffer("event: error\ndata: " + problem.encode() + "\n\n");
    }
  };

  private final String mediaType;

  EventFormat(String mediaType) {
    this.mediaType = mediaType;
  }

  /** The response's Content-Type. */
  String mediaType() {
    return mediaType;
  }

  /** One framed event; {@code json} is {@code event} printed on one line. */
  abstract Buffer event(AnalysisEvent event, String json);

  /** The framed failure that ends a stream already started (an RFC 9457 problem object). */
  abstract Buffer error(JsonObject problem);

  /** The SSE event name of {@code event}: its oneof case in lower case, e.g. {@code disc}. */
  static String kind(AnalysisEvent event) {
    return event.getEventCase().name().toLowerCase(Locale.ROOT);
  }

  /**
   * The format for an {@code Accept} header (RFC 9110 section 12.5.1): each format takes the
   * q-value of the most specific media range that matches it ({@code type/subtype} over
   * {@code type/*} over {@code *}{@code /*}); the highest q above 0 wins, NDJSON on a tie. No header
   * means NDJSON.
   *
   * @param accept the header value, or null
   * @throws AnalysisException {@link FailureCode#NOT_ACCEPTABLE} when no format has a q-value
   *     above 0
   */
  static EventFormat negotiate(String accept) {
    if (accept == null || accept.isBlank()) {
      return NDJSON;
    }
    MediaRanges ranges = MediaRanges.parse(accept);
    EventFormat best = null;
    double bestQ = 0;
    for (EventFormat f : values()) {
      double q = ranges.quality(f.mediaType);
      if (q > bestQ) {
        best = f;
        bestQ = q;
      }
    }
    if (best == null) {
      throw new AnalysisException(FailureCode.NOT_ACCEPTABLE, "this endpoint answers "
          + NDJSON.mediaType + " or " + SSE.mediaType + " (errors before the stream starts as "
          + HttpEndpoints.PROBLEM + "); the Accept header allows neither");
    }
    return best;
  }
}
