package io.spoils.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.spoils.feature.InvalidInputException;
import io.spoils.gateway.backend.BackendException;
import io.spoils.gateway.backend.BackendStatus;
import io.vertx.grpc.common.GrpcStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorMappingTest {

  @Test
  void map_invalidInputKeepsReason() {
    var m = ErrorMapping.map(new InvalidInputException("no sagittal series"));
    assertEquals(GrpcStatus.INVALID_ARGUMENT, m.grpc());
    assertEquals(400, m.http());
    assertEquals("no sagittal series", m.detail());
  }

  @Test
  void map_admissionAndSize() {
    Admission full = new Admission(1, 0);
    full.acquire(null);
    var busy = ErrorMapping.map(full.acquire(null).cause());
    assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, busy.grpc());
    assertEquals(429, busy.http());
    var size = ErrorMapping.map(new ErrorMapping.RequestTooLargeException("too big"));
    assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, size.grpc());
    assertEquals(413, size.http());
  }

  @Test
  void map_requestTimeoutIsDeadlineExceededAnd408() {
    var m = ErrorMapping.map(new ErrorMapping.RequestTimeoutException(
        "the request message did not arrive within 500 ms"));
    assertEquals(GrpcStatus.DEADLINE_EXCEEDED, m.grpc());
    assertEquals(408, m.http());
    assertEquals("the request message did not arrive within 500 ms", m.detail());
  }

  @Test
  void map_otherIsGenericInternal() {
    var m = ErrorMapping.map(new NullPointerException("patient DOE^JOHN"));
    assertEquals(GrpcStatus.INTERNAL, m.grpc());
    assertEquals(500, m.http());
    assertFalse(m.detail().contains("DOE"));
  }

  @ParameterizedTest
  @CsvSource({"UNAVAILABLE, UNAVAILABLE, 503", "DEADLINE_EXCEEDED, DEADLINE_EXCEEDED, 504",
      "INTERNAL, INTERNAL, 500", "INVALID_ARGUMENT, INTERNAL, 500", "NOT_FOUND, UNAVAILABLE, 503"})
  void map_backendStatus(BackendStatus backend, GrpcStatus grpc, int http) {
    var m = ErrorMapping.map(new BackendException(backend, "reason"));
    assertEquals(grpc, m.grpc());
    assertEquals(http, m.http());
  }
}
