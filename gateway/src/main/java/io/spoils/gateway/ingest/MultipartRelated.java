package io.spoils.gateway.ingest;

import io.spoils.gateway.failure.AnalysisException;
import io.spoils.gateway.failure.FailureCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Incremental parser of a {@code multipart/related} body (RFC 2387, framing of RFC 2046 section
 * 5.1.1), as a DICOMweb WADO-RS server sends a study: feed the body in pieces as they arrive
 * ({@link #feed}), then {@link #finish()}. Limits are enforced while receiving, so a caller can
 * stop reading the moment one is crossed. Delimiters must be CRLF-framed, as the RFC requires; a
 * preamble and an epilogue are allowed and ignored. Not thread-safe: one instance per body.
 */
public final class MultipartRelated {

  /**
   * One body part.
   *
   * @param contentType the part's {@code Content-Type}, empty when it has none
   * @param content the part's bytes
   */
  public record Part(Optional<String> contentType, byte[] content) { }

  /** The body is not well-formed multipart (no boundary, truncated, oversized headers). */
  public static final class MalformedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedException(String reason) {
      super(reason, null, false, false);
    }
  }

  /** Bytes of preamble skipped before the first boundary at most. */
  static final int MAX_PREAMBLE = 64 * 1024;
  /** Characters of a boundary at most. */
  static final int MAX_BOUNDARY = 200;
  /** Bytes of one part's header block at most. */
  static final int MAX_HEADERS = 16 * 1024;

  private enum State { PREAMBLE, AFTER_DELIMITER, HEADERS, BODY, DONE }

  private final byte[] delimiter;
  private final long maxBytes;
  private final int maxParts;
  private final List<Part> parts = new ArrayList<>();
  private final ByteQueue pending = new ByteQueue();
  private State state = State.PREAMBLE;
  private long preamble;
  private long contentBytes;
  private Optional<String> partType = Optional.empty();
  private List<byte[]> partChunks = new ArrayList<>();
  private int partSize;

  /**
   * @param boundary the boundary parameter of the body's Content-Type ({@link #boundary(String)})
   * @param maxBytes the parts' content bytes together at most, &gt;= 0; beyond them
   *     {@link FailureCode#TOO_LARGE}
   * @param maxParts parts at most, &gt;= 0; beyond them
   *     {@link FailureCode#TOO_LARGE}
   */
  public MultipartRelated(String boundary, long maxBytes, int maxParts) {
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
    this.maxBytes = maxBytes;
    this.maxParts = maxParts;
    // the first delimiter may open the body without a preceding line break
    pending.append(new byte[] {'\r', '\n'}, 0, 2);
  }

  /**
   * The boundary of a {@code multipart/related} Content-Type.
   *
   * @throws MalformedException when the type is not multipart/related or has no valid boundary
   */
  public static String boundary(String contentType) {
    if (contentType == null) {
      throw new MalformedException("the response has no Content-Type");
    }
    String[] fields = splitParameters(contentType);
    if (!fields[0].trim().toLowerCase(Locale.ROOT).equals("multipart/related")) {
      throw new MalformedException("the response is not multipart/related");
    }
    for (int i = 1; i < fields.length; i++) {
      int eq = fields[i].indexOf('=');
      if (eq > 0 && fields[i].substring(0, eq).trim().equalsIgnoreCase("boundary")) {
        String value = unquote(fields[i].substring(eq + 1).trim());
        // RFC 2046 allows 70 characters; be lenient with servers that exceed it a little
        if (value.isEmpty() || value.length() > MAX_BOUNDARY
            || !value.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
          throw new MalformedException("the multipart boundary is invalid");
        }
        return value;
      }
    }
    throw new MalformedException("the multipart response has no boundary");
  }

  /** Splits at semicolons outside double quotes. */
  private static String[] splitParameters(String value) {
    List<String> out = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ';' && !quoted) {
        out.add(field.toString());
        field.setLength(0);
        continue;
      }
      field.append(c);
    }
    out.add(field.toString());
    return out.toArray(String[]::new);
  }

  private static String unquote(String v) {
    return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")
        ? v.substring(1, v.length() - 1) : v;
  }

  /**
   * Consumes the next bytes of the body.
   *
   * @throws MalformedException when the framing is broken
   * @throws AnalysisException ({@link FailureCode#TOO_LARGE}) when a limit is crossed
   */
  public void feed(byte[] data, int offset, int length) {
    if (state == State.DONE) {
      return; // epilogue
    }
    pending.append(data, offset, length);
    boolean progress = true;
    while (progress && state != State.DONE) {
      progress = switch (state) {
        case PREAMBLE -> preamble();
        case AFTER_DELIMITER -> afterDelimiter();
        case HEADERS -> headers();
        case BODY -> body();
        case DONE -> false;
      };
    }
  }

  public void feed(byte[] data) {
    feed(data, 0, data.length);
  }

  /**
   * The parts, once the body has ended.
   *
   * @throws MalformedException when the closing delimiter never came (a truncated body)
   */
  public List<Part> finish() {
    if (state != State.DONE) {
      throw new MalformedException(state == State.PREAMBLE
          ? "the multipart response has no part" : "the multipart response is truncated");
    }
    return List.copyOf(parts);
  }

  /** Parts completed so far. */
  public int partCount() {
    return parts.size();
  }

  private boolean preamble() {
    int at = pending.indexOf(delimiter);
    if (at < 0) {
      int keep = delimiter.length - 1;
      int skip = Math.max(0, pending.size() - keep);
      preamble += skip;
      pending.drop(skip);
      if (preamble > MAX_PREAMBLE) {
        throw new MalformedException("no multipart boundary in the first " + MAX_PREAMBLE
            + " bytes of the response");
      }
      return false;
    }
    pending.drop(at + delimiter.length);
    state = State.AFTER_DELIMITER;
    return true;
  }

  /** After a delimiter: "--" closes the body; else optional padding and CRLF open a part. */
  private boolean afterDelimiter() {
    if (pending.size() < 2) {
      return false;
    }
    if (pending.at(0) == '-' && pending.at(1) == '-') {
      pending.clear();
      state = State.DONE;
      return false;
    }
    int i = 0;
    while (i < pending.size() && (pending.at(i) == ' ' || pending.at(i) == '\t')) {
      i++;
    }
    if (i + 2 > pending.size()) {
      if (i > 1024) {
        throw new MalformedException("a multipart boundary line is too long");
      }
      return false;
    }
    if (pending.at(i) != '\r' || pending.at(i + 1) != '\n') {
      throw new MalformedException("a multipart boundary is not followed by a line break");
    }
    pending.drop(i + 2);
    if (parts.size() >= maxParts) {
      throw new AnalysisException(FailureCode.TOO_LARGE, "the study has more than " + maxParts
          + " files; this server accepts at most " + maxParts);
    }
    state = State.HEADERS;
    return true;
  }

  private boolean headers() {
    int end;
    int bodyStart;
    if (pending.size() >= 2 && pending.at(0) == '\r' && pending.at(1) == '\n') {
      end = 0;
      bodyStart = 2;
    } else {
      end = pending.indexOf(new byte[] {'\r', '\n', '\r', '\n'});
      bodyStart = end + 4;
    }
    if (end < 0) {
      if (pending.size() > MAX_HEADERS) {
        throw new MalformedException("a multipart part has more than " + MAX_HEADERS
            + " bytes of headers");
      }
      return false;
    }
    partType = contentType(new String(pending.copy(0, end), StandardCharsets.ISO_8859_1));
    pending.drop(bodyStart);
    state = State.BODY;
    return true;
  }

  private static Optional<String> contentType(String block) {
    for (String line : block.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Type")) {
        return Optional.of(line.substring(colon + 1).trim());
      }
    }
    return Optional.empty();
  }

  private boolean body() {
    int at = pending.indexOf(delimiter);
    int take = at >= 0 ? at : Math.max(0, pending.size() - (delimiter.length - 1));
    if (take > 0) {
      contentBytes += take;
      if (contentBytes > maxBytes) {
        throw new AnalysisException(FailureCode.TOO_LARGE, "the study is larger than this server's "
            + maxBytes + "-byte limit");
      }
      partChunks.add(pending.copy(0, take));
      partSize += take;
      pending.drop(take);
    }
    if (at < 0) {
      return false;
    }
    pending.drop(delimiter.length);
    parts.add(new Part(partType, join(partChunks, partSize)));
    partChunks = new ArrayList<>();
    partSize = 0;
    state = State.AFTER_DELIMITER;
    return true;
  }

  private static byte[] join(List<byte[]> chunks, int size) {
    if (chunks.size() == 1) {
      return chunks.get(0);
    }
    byte[] out = new byte[size];
    int at = 0;
    for (byte[] c : chunks) {
      System.arraycopy(c, 0, out, at, c.length);
      at += c.length;
    }
    return out;
  }

  /** A growable window of bytes not yet consumed. */
  private static final class ByteQueue {
    private byte[] buf = new byte[8192];
    private int start;
    private int end;

    int size() {
      return end - start;
    }

    byte at(int i) {
      return buf[start + i];
    }

    void append(byte[] data, int offset, int length) {
      if (end + length > buf.length) {
        int size = size();
        byte[] target = size + length > buf.length
            ? new byte[Math.max(buf.length * 2, size + length)] : buf;
        System.arraycopy(buf, start, target, 0, size);
        buf = target;
        start = 0;
        end = size;
      }
      System.arraycopy(data, offset, buf, end, length);
      end += length;
    }

    void drop(int n) {
      start += n;
      if (start == end) {
        start = 0;
        end = 0;
      }
    }

    void clear() {
      start = 0;
      end = 0;
    }

    byte[] copy(int from, int to) {
      byte[] out = new byte[to - from];
      System.arraycopy(buf, start + from, out, 0, out.length);
      return out;
    }

    /** First index of {@code needle}, or -1. */
    int indexOf(byte[] needle) {
      int last = end - needle.length;
      outer:
      for (int i = start; i <= last; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (buf[i + j] != needle[j]) {
            continue outer;
          }
        }
        return i - start;
      }
      return -1;
    }
  }
}
