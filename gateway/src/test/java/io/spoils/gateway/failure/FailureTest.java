package io.spoils.gateway.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.spoils.feature.InvalidInputException;
import io.spoils.gateway.backend.BackendException;
import io.spoils.gateway.backend.BackendStatus;
import io.spoils.gateway.service.Admission;
import io.vertx.grpc.common.GrpcStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class FailureTest {

  @Test
  void of_invalidInputKeepsReason() {
    var m = Failure.of(new InvalidInputException("no sagittal series"));
    assertEquals(GrpcStatus.INVALID_ARGUMENT, m.grpc());
    assertEquals(400, m.http());
    assertEquals("no sagittal series", m.detail());
  }

  @Test
  void of_admissionAndSize() {
    Admission full = new Admission(1, 0);
    full.acquire(null);
    var busy = Failure.of(full.acquire(null).cause());
    assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, busy.grpc());
    assertEquals(429, busy.http());
    var size = Failure.of(new AnalysisException(FailureCode.TOO_LARGE, "too big"));
    assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, size.grpc());
    assertEquals(413, size.http());
  }

  @Test
  void of_requestTimeoutIsDeadlineExceededAnd408() {
    var m = Failure.of(new AnalysisException(FailureCode.REQUEST_TIMEOUT,
        "the request message did not arrive within 500 ms"));
    assertEquals(GrpcStatus.DEADLINE_EXCEEDED, m.grpc());
    assertEquals(408, m.http());
    assertEquals("the request message did not arrive within 500 ms", m.detail());
  }

  @Test
  void of_otherIsGenericInternal() {
    var m = Failure.of(new NullPointerException("patient DOE^JOHN"));
    assertEquals(GrpcStatus.INTERNAL, m.grpc());
    assertEquals(500, m.http());
    assertFalse(m.detail().contains("DOE"));
  }

  @ParameterizedTest
  @CsvSource({"UNAVAILABLE, UNAVAILABLE, 503", "DEADLINE_EXCEEDED, DEADLINE_EXCEEDED, 504",
      "INTERNAL, INTERNAL, 500", "INVALID_ARGUMENT, INTERNAL, 500", "NOT_FOUND, UNAVAILABLE, 503"})
  void of_backendStatus(BackendStatus backend, GrpcStatus grpc, int http) {
    var m = Failure.of(new BackendException(backend, "reason"));
    assertEquals(grpc, m.grpc());
    assertEquals(http, m.http());
  }

  @Test
  void of_modelRejectedInput_detailSaysSo() {
    var m = Failure.of(new BackendException(BackendStatus.INVALID_ARGUMENT, "bad shape"));
    assertEquals("a model rejected its input: bad shape", m.detail());
  }

  @ParameterizedTest
  @EnumSource(FailureCode.class)
  void of_everyCode_answersItsRow(FailureCode code) {
    var m = Failure.of(new AnalysisException(code, "why"));
    assertEquals(code, m.code());
    assertEquals(code.grpc(), m.grpc());
    assertEquals(code.http(), m.http());
    assertEquals(code.title(), m.title());
  }
}
