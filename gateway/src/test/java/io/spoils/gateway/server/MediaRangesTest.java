package io.spoils.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spoils.gateway.failure.AnalysisException;
import io.spoils.gateway.failure.Failure;
import io.spoils.gateway.failure.FailureCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MediaRangesTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "text/event-stream | text/event-stream | 1.0",
      "TEXT/Event-Stream;Q=0.4 | text/event-stream | 0.4",
      "text/*;q=0.3, text/event-stream;q=0.7 | text/event-stream | 0.7",
      "text/event-stream;q=0.7, text/*;q=0.3 | text/event-stream | 0.7",
      "*/*;q=0.2, text/* | text/event-stream | 1.0",
      "*/*;q=0.2, text/* | application/x-ndjson | 0.2",
      "text/event-stream;charset=utf-8;q=0.5 | text/event-stream | 0.5",
      "text/event-stream;q=2 | text/event-stream | 0.0",
      "text/event-stream;q=abc, */*;q=0.1 | text/event-stream | 0.1",
      "garbage, /, */event-stream | text/event-stream | 0.0"})
  void quality_mostSpecificRangeWins(String header, String type, double q) {
    assertEquals(q, MediaRanges.parse(header).quality(type), 1e-9);
  }

  @Test
  void negotiate_noHeaderOrTie_ndjson() {
    assertEquals(EventFormat.NDJSON, EventFormat.negotiate(null));
    assertEquals(EventFormat.NDJSON, EventFormat.negotiate(" "));
    assertEquals(EventFormat.NDJSON,
        EventFormat.negotiate("text/event-stream, application/x-ndjson"));
    assertEquals(EventFormat.SSE, EventFormat.negotiate("text/event-stream"));
  }

  @Test
  void negotiate_nothingServable_notAcceptable() {
    var e = assertThrows(AnalysisException.class,
        () -> EventFormat.negotiate("application/xml"));
    assertEquals(FailureCode.NOT_ACCEPTABLE, e.code());
    assertEquals(406, Failure.of(e).http());
  }
}
