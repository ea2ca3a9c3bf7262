package io.spoils.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GrpcStatusMessageTest {

  @Test
  void encode_printableAscii_keptAsWritten() {
    assertEquals("busy: every slot is taken; retry (1/2) [x] ~",
        GrpcStatusMessage.encode("busy: every slot is taken; retry (1/2) [x] ~"));
  }

  @Test
  void encode_percentAndBytesOutsidePrintableAscii_percentEncoded() {
    assertEquals("50%25 of 2 mm%C2%B2%0Anext", GrpcStatusMessage.encode("50% of 2 mm\u00b2\nnext"));
  }
}
