package io.spoils.gateway.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.gateway.failure.AnalysisException;
import io.spoils.gateway.failure.FailureCode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartRelatedTest {

  private static final String B = "09b52bf6-e855-4795-a186-1da722b0248f";

  /** A multipart/related body with the given parts, framed as RFC 2046 says. */
  private static byte[] body(String preamble, String epilogue, byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(preamble.getBytes(StandardCharsets.US_ASCII));
    for (byte[] p : parts) {
      out.writeBytes(("--" + B + "\r\nContent-Type: application/dicom\r\nContent-Length: "
          + p.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(p);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(("--" + B + "--\r\n" + epilogue).getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** Parses {@code body} fed in pieces of {@code step} bytes. */
  private static List<MultipartRelated.Part> parse(byte[] body, int step, long maxBytes,
      int maxParts) {
    MultipartRelated p = new MultipartRelated(B, maxBytes, maxParts);
    for (int i = 0; i < body.length; i += step) {
      p.feed(body, i, Math.min(step, body.length - i));
    }
    return p.finish();
  }

  @Test
  void boundary_quotedAmongParameters() {
    assertEquals(B, MultipartRelated.boundary(
        "multipart/related; type=\"application/dicom\"; boundary=" + B));
    assertEquals("a;b c", MultipartRelated.boundary(
        "Multipart/Related; boundary=\"a;b c\"; type=\"application/dicom\""));
  }

  @Test
  void boundary_wrongTypeOrMissing_malformed() {
    assertThrows(MultipartRelated.MalformedException.class,
        () -> MultipartRelated.boundary("application/json"));
    assertThrows(MultipartRelated.MalformedException.class,
        () -> MultipartRelated.boundary("multipart/related; type=\"application/dicom\""));
    assertThrows(MultipartRelated.MalformedException.class,
        () -> MultipartRelated.boundary(null));
  }

  @Test
  void parse_anyChunkingGivesTheSameParts() {
    byte[] a = random(70_000, 1);
    byte[] b = random(1, 2);
    byte[] c = "--not-the-boundary\r\n--".getBytes(StandardCharsets.US_ASCII);
    byte[] body = body("", "", a, b, c);
    for (int step : new int[] {1, 2, 3, 7, 41, 4096, body.length}) {
      List<MultipartRelated.Part> parts = parse(body, step, Long.MAX_VALUE, 100);
      assertEquals(3, parts.size(), "step " + step);
      assertArrayEquals(a, parts.get(0).content(), "step " + step);
      assertArrayEquals(b, parts.get(1).content(), "step " + step);
      assertArrayEquals(c, parts.get(2).content(), "step " + step);
      assertEquals(Optional.of("application/dicom"), parts.get(0).contentType());
    }
  }

  @Test
  void parse_preambleAndEpilogueIgnored() {
    byte[] a = random(300, 3);
    byte[] body = body("This is a preamble\r\nwith lines\r\n", "and an epilogue\r\n", a);
    List<MultipartRelated.Part> parts = parse(body, 5, Long.MAX_VALUE, 10);
    assertEquals(1, parts.size());
    assertArrayEquals(a, parts.get(0).content());
  }

  @Test
  void parse_partWithoutHeadersAndPaddedBoundary() {
    String raw = "--" + B + "  \r\n\r\nhello\r\n--" + B + "\t\r\nContent-Type: x/y\r\n\r\n"
        + "\r\n--" + B + "--";
    List<MultipartRelated.Part> parts = parse(raw.getBytes(StandardCharsets.US_ASCII), 3,
        Long.MAX_VALUE, 10);
    assertEquals(2, parts.size());
    assertEquals("hello", new String(parts.get(0).content(), StandardCharsets.US_ASCII));
    assertEquals(Optional.empty(), parts.get(0).contentType());
    assertEquals(0, parts.get(1).content().length);
    assertEquals(Optional.of("x/y"), parts.get(1).contentType());
  }

  @Test
  void parse_noPartsAtAll_emptyList() {
    assertEquals(0, parse(("--" + B + "--\r\n").getBytes(StandardCharsets.US_ASCII), 4, 10, 10)
        .size());
  }

  @Test
  void parse_truncatedBody_malformed() {
    byte[] body = body("", "", random(1000, 4), random(1000, 5));
    for (int cut : new int[] {0, 10, 600, 1500, body.length - 5}) {
      MultipartRelated p = new MultipartRelated(B, Long.MAX_VALUE, 10);
      p.feed(body, 0, cut);
      assertThrows(MultipartRelated.MalformedException.class, p::finish, "cut " + cut);
    }
  }

  @Test
  void parse_bareLineFeedsAreNotDelimiters_truncated() {
    String raw = "--" + B + "\nContent-Type: application/dicom\n\nabc\n--" + B + "--\n";
    MultipartRelated p = new MultipartRelated(B, 1000, 10);
    assertThrows(MultipartRelated.MalformedException.class,
        () -> {
          p.feed(raw.getBytes(StandardCharsets.US_ASCII));
          p.finish();
        });
  }

  @Test
  void feed_overByteLimit_tooLargeWhileReceiving() {
    byte[] body = body("", "", random(600, 6), random(600, 7));
    MultipartRelated p = new MultipartRelated(B, 1000, 10);
    AnalysisException e = assertThrows(AnalysisException.class, () -> {
      for (int i = 0; i < body.length; i += 100) {
        p.feed(body, i, Math.min(100, body.length - i));
      }
    });
    assertEquals(FailureCode.TOO_LARGE, e.code());
    assertTrue(e.getMessage().contains("1000-byte"), e.getMessage());
    // exactly at the limit is fine
    assertEquals(2, parse(body, 100, 1200, 10).size());
  }

  @Test
  void feed_overPartLimit_tooLarge() {
    byte[] body = body("", "", random(10, 8), random(10, 9), random(10, 10));
    assertEquals(3, parse(body, 8, 1000, 3).size());
    assertEquals(FailureCode.TOO_LARGE,
        assertThrows(AnalysisException.class, () -> parse(body, 8, 1000, 2)).code());
  }

  @Test
  void feed_noBoundaryInHugePreamble_malformed() {
    MultipartRelated p = new MultipartRelated(B, Long.MAX_VALUE, 10);
    byte[] junk = new byte[MultipartRelated.MAX_PREAMBLE + 100];
    assertThrows(MultipartRelated.MalformedException.class, () -> p.feed(junk));
  }

  @Test
  void feed_endlessHeaders_malformed() {
    MultipartRelated p = new MultipartRelated(B, Long.MAX_VALUE, 10);
    p.feed(("--" + B + "\r\nX-Long: ").getBytes(StandardCharsets.US_ASCII));
    byte[] more = new byte[MultipartRelated.MAX_HEADERS + 10];
    java.util.Arrays.fill(more, (byte) 'a');
    assertThrows(MultipartRelated.MalformedException.class, () -> p.feed(more));
  }

  @Test
  void feed_garbageAfterBoundary_malformed() {
    MultipartRelated p = new MultipartRelated(B, Long.MAX_VALUE, 10);
    assertThrows(MultipartRelated.MalformedException.class,
        () -> p.feed(("--" + B + "xyz\r\n").getBytes(StandardCharsets.US_ASCII)));
  }
}
