package io.spoils.gateway.server;

import java.nio.charset.StandardCharsets;

/**
 * The {@code grpc-message} trailer as the gRPC over HTTP/2 specification writes it: the message's
 * UTF-8 bytes, each byte outside 0x20-0x7E and every {@code '%'} percent-encoded ({@code %XX},
 * upper-case hex), every other byte as it is. Clients decode exactly this, so "busy: every slot
 * is taken; retry" reaches them as written (Vert.x 5.0.7 form-encodes every character that is not
 * alphanumeric, which grpc-js shows as "busy%3A ..."). Stateless and thread-safe.
 */
final class GrpcStatusMessage {

  /** The trailer that carries the status message. */
  static final String TRAILER = "grpc-message";
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private GrpcStatusMessage() {
  }

  /** {@code message} encoded for the {@code grpc-message} trailer. */
  static String encode(String message) {
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length);
    for (byte b : bytes) {
      int c = b & 0xFF;
      if (c >= 0x20 && c <= 0x7E && c != '%') {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    return out.toString();
  }
}
