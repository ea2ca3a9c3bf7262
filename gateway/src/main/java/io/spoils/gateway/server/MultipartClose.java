package io.spoils.gateway.server;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Whether a {@code multipart/form-data} body reached its close delimiter
 * ({@code --boundary--}, RFC 2046 section 5.1.1). Vert.x's decoder hands over the parts it has
 * read when the body ends without one, silently dropping the trailing field (a truncated body
 * then looks like a complete one without, say, its {@code nrs}); the upload checks this instead.
 *
 * <p>Reads the raw body as it arrives, keeping only the last few bytes between chunks, so the
 * delimiter is found across chunk boundaries at no extra memory. Not thread-safe: use it on the
 * request's context.
 */
final class MultipartClose {

  private final byte[] delimiter;
  /** The last {@code delimiter.length - 1} bytes seen, to match across chunks. */
  private byte[] tail = new byte[0];
  private boolean closed;

  private MultipartClose(String boundary) {
    this.delimiter = ("--" + boundary + "--").getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * The watcher of a body of {@code contentType}, or null when it names no boundary (the
   * decoder refuses such a body itself).
   */
  static MultipartClose of(String contentType) {
    String boundary = boundary(contentType);
    return boundary == null ? null : new MultipartClose(boundary);
  }

  /** Reads the next chunk of the raw body. */
  void feed(Buffer chunk) {
    if (closed) {
      return;
    }
    byte[] bytes = chunk.getBytes();
    byte[] window = new byte[tail.length + bytes.length];
    System.arraycopy(tail, 0, window, 0, tail.length);
    System.arraycopy(bytes, 0, window, tail.length, bytes.length);
    closed = indexOf(window, delimiter) >= 0;
    int keep = Math.min(window.length, delimiter.length - 1);
    tail = Arrays.copyOfRange(window, window.length - keep, window.length);
  }

  /** Whether the close delimiter has been read. */
  boolean closed() {
    return closed;
  }

  private static int indexOf(byte[] in, byte[] what) {
    outer:
    for (int i = 0; i + what.length <= in.length; i++) {
      for (int j = 0; j < what.length; j++) {
        if (in[i + j] != what[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** The {@code boundary} parameter of a Content-Type (quotes removed), or null. */
  static String boundary(String contentType) {
    if (contentType == null) {
      return null;
    }
    for (String param : contentType.split(";")) {
      int eq = param.indexOf('=');
      if (eq > 0 && param.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("boundary")) {
        String v = param.substring(eq + 1).trim();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
          v = v.substring(1, v.length() - 1);
        }
        return v.isEmpty() ? null : v;
      }
    }
    return null;
  }
}
