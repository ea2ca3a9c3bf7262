package io.spoils.gateway.backend.triton;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.spoils.gateway.backend.BackendStatus;
import io.vertx.grpc.common.GrpcStatus;
import java.net.ConnectException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TritonErrorMapperTest {

  @ParameterizedTest
  @CsvSource({
      "UNAVAILABLE, UNAVAILABLE",
      "DEADLINE_EXCEEDED, DEADLINE_EXCEEDED",
      "INVALID_ARGUMENT, INTERNAL",
      "NOT_FOUND, INTERNAL",
      "CANCELLED, UNAVAILABLE",
      "RESOURCE_EXHAUSTED, INTERNAL",
      "UNKNOWN, INTERNAL",
      "INTERNAL, INTERNAL"})
  void fromStatus_deadlineAhead(GrpcStatus grpc, BackendStatus expected) {
    assertEquals(expected, TritonErrorMapper.fromStatus("m", "ModelInfer", grpc, "why", false)
        .status());
  }

  @Test
  void fromStatus_cancelledAfterDeadline_deadlineExceeded() {
    assertEquals(BackendStatus.DEADLINE_EXCEEDED, TritonErrorMapper.fromStatus("m", "ModelInfer",
        GrpcStatus.CANCELLED, null, true).status());
  }

  @Test
  void fromStatus_invalidArgument_serverReasonNotInMessage() {
    String message = TritonErrorMapper.fromStatus("m", "ModelInfer", GrpcStatus.INVALID_ARGUMENT,
        "unexpected shape for input 'image'", false).getMessage();
    assertFalse(message.contains("unexpected shape"), message);
  }

  @Test
  void fromThrowable_connectionRefused_unavailable() {
    assertEquals(BackendStatus.UNAVAILABLE, TritonErrorMapper.fromThrowable("m", "ServerReady",
        new ConnectException("Connection refused"), false).status());
  }
}
