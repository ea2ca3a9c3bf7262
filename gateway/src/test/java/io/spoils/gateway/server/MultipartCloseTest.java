package io.spoils.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class MultipartCloseTest {

  @Test
  void feed_delimiterSplitAcrossChunks_closed() {
    MultipartClose close = MultipartClose.of("multipart/form-data; boundary=abc");
    close.feed(Buffer.buffer("--abc\r\n...\r\n--a"));
    assertFalse(close.closed());
    close.feed(Buffer.buffer("b"));
    close.feed(Buffer.buffer("c-"));
    close.feed(Buffer.buffer("-\r\n"));
    assertTrue(close.closed());
  }

  @Test
  void feed_onlyPartDelimiters_notClosed() {
    MultipartClose close = MultipartClose.of("multipart/form-data; boundary=abc");
    close.feed(Buffer.buffer("--abc\r\nx\r\n--abc\r\ny"));
    assertFalse(close.closed());
  }

  @Test
  void boundary_quotedOrAbsent_readAsRfc2046Says() {
    assertEquals("a b", MultipartClose.boundary("multipart/form-data; Boundary=\"a b\""));
    assertNull(MultipartClose.of("multipart/form-data"));
  }
}
