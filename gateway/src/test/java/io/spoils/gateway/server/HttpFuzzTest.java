package io.spoils.gateway.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.gateway.config.ConnectionOptions;
import io.spoils.gateway.config.ServerOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A seeded, bounded mutation fuzzer over the HTTP API, against an in-process server on a real
 * socket: requests built from valid ones (a DICOM body, a multipart series, the GET routes, an
 * asynchronous submission, a DICOMweb reference) with mutated methods, paths, query parameters,
 * headers, content types, multipart framing and body bytes, and truncated anywhere. Every answer
 * must be a 4xx problem JSON (RFC 9457) or, for an input that is still valid, a 200 or 202; never a
 * 5xx, and never a hang (each exchange has {@value #READ_TIMEOUT_MS} ms). A truncated request, or
 * one whose body cannot be framed (not chunked under {@code Transfer-Encoding: chunked}), may
 * instead find its connection closed. One known exception, counted and printed: a multipart file
 * part that lost its filename is a form field, and one larger than Vert.x's form attribute limit
 * makes Vert.x 5.0.7's multipart decoder fail the exchange and close the connection before the
 * server's 400 reaches the client. gRPC content types are left out: they go to the gRPC server,
 * which its own tests cover. A failure names its input's
 * number and the seed; replay one with {@code -Dspoils.fuzz.http.only=I} (and its seed), explore
 * further with {@code -Dspoils.fuzz.http.seed=N -Dspoils.fuzz.http.inputs=M}.
 */
class HttpFuzzTest extends GatedServerTestBase {

  private static final long SEED = Long.getLong("spoils.fuzz.http.seed", 14);
  private static final int INPUTS = Integer.getInteger("spoils.fuzz.http.inputs", 1500);
  /** Replays only this input (its number in the seed's sequence), printing it and its answer. */
  private static final int ONLY = Integer.getInteger("spoils.fuzz.http.only", -1);
  private static final int READ_TIMEOUT_MS = 20_000;
  private static final String BOUNDARY = "spoilsfuzz";
  private static final List<String> GETS = List.of("/v1/models", "/health/live", "/health/ready",
      "/v1/openapi.json", "/metrics", "/v1/received", "/v1/analyses/0000", "/viewer/",
      "/v1/analyses/x/events", "/nowhere");
  private static final List<String> TYPES = List.of("application/dicom", "multipart/form-data",
      "multipart/form-data; boundary=", "multipart/form-data; boundary=\"" + BOUNDARY + "\"",
      "application/json", "text/plain", "application/DICOM; charset=utf-8", "", "*/*",
      "multipart/mixed; boundary=" + BOUNDARY, "application/dicom\u00e9", "image/png");
  private static final List<String> PARAMETERS = List.of("odi", "nrs", "include_mask",
      "max_contributions", "compute_volume", "store_results", "odi ", "x", "ODI", "");
  private static final List<String> VALUES = List.of("45", "7", "-1", "101", "1e309", "NaN",
      "4%00", "%ZZ", "", "true", "yes", "4294967295", "0x10", "4.5", "%E2%82%AC", "9".repeat(400),
      "+7", " 7");
  private static final List<String> ACCEPTS = List.of("text/event-stream",
      "application/x-ndjson", "application/json", "text/html", "*/*;q=0", "garbage;;q=x",
      "text/event-stream;q=0.5, application/x-ndjson;q=0.9");

  private final Random random = new Random(SEED);
  private byte[] small;
  /** Whether the last input was cut short (then closing without an answer is fair). */
  private boolean truncated;
  /** Whether the last input's file part lost its filename: a large form field (see the class). */
  private boolean fieldWithoutFilename;
  /** Whether the last input's body cannot be framed (then closing without an answer is fair). */
  private boolean brokenFraming;
  /** Inputs answered by a closed connection because of such a field. */
  private int closedAtLargeField;

  @Test
  void httpApi_mutatedRequests_problemJsonOrSuccessNeverServerErrorOrHang(Vertx vertx)
      throws Exception {
    server = GatedServer.start(vertx, trees, ServerOptions.defaults().withAdmission(4, 64),
        new ConnectionOptions(5, 30, 1000, 2, 1000, 0));
    small = Arrays.copyOf(slice, 4096);
    Map<Integer, Integer> statuses = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < INPUTS && failures.size() < 5; i++) {
      byte[] input = input();
      if (ONLY >= 0 && i != ONLY) {
        continue;
      }
      try {
        statuses.merge(exchange(i, input), 1, Integer::sum);
      } catch (AssertionError e) {
        failures.add(e.getMessage());
      }
    }
    System.out.printf("HttpFuzzTest: %d inputs (seed %d), statuses %s (0: closed unanswered, "
        + "after a truncated request or, %d times, at a large form field)%n", INPUTS, SEED,
        statuses, closedAtLargeField);
    assertTrue(failures.isEmpty(), failures.size() + " failing inputs (the first five):\n\n"
        + String.join("\n\n", failures));
    assertTrue(statuses.getOrDefault(200, 0) > 0, "some inputs stayed valid: " + statuses);
  }

  /** One request's bytes: a valid one, mutated 0-3 times, sometimes truncated. */
  private byte[] input() {
    Request r = switch (random.nextInt(6)) {
      case 0, 1 -> dicom();
      case 2, 3 -> multipart();
      case 4 -> get();
      default -> submitOrReference();
    };
    fieldWithoutFilename = false;
    brokenFraming = false;
    int mutations = random.nextInt(4);
    for (int m = 0; m < mutations; m++) {
      mutate(r);
    }
    byte[] bytes = r.bytes();
    truncated = random.nextInt(10) == 0;
    if (truncated) {
      bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
    }
    return bytes;
  }

  /** A request being built: its parts stay editable until {@link #bytes()}. */
  private static final class Request {
    String method = "POST";
    String path = "/v1/analyses";
    List<String[]> query = new ArrayList<>();
    List<String[]> headers = new ArrayList<>();
    byte[] body = new byte[0];
    boolean contentLength = true;

    byte[] bytes() {
      StringBuilder q = new StringBuilder();
      for (String[] p : query) {
        q.append(q.length() == 0 ? "?" : "&").append(p[0]).append('=').append(p[1]);
      }
      StringBuilder head = new StringBuilder(method + " " + path + q + " HTTP/1.1\r\n"
          + "Host: 127.0.0.1\r\n");
      for (String[] h : headers) {
        head.append(h[0]).append(": ").append(h[1]).append("\r\n");
      }
      if (contentLength) {
        head.append("Content-Length: ").append(body.length).append("\r\n");
      }
      head.append("\r\n");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.writeBytes(body);
      return out.toByteArray();
    }
  }

  private Request dicom() {
    Request r = new Request();
    r.query.add(new String[] {"odi", "45"});
    r.query.add(new String[] {"nrs", "7"});
    r.headers.add(new String[] {"Content-Type", "application/dicom"});
    // one in forty carries the whole slice (a valid study); the rest a cut one
    r.body = random.nextInt(40) == 0 ? slice : small;
    return r;
  }

  private Request multipart() {
    Request r = new Request();
    r.headers.add(new String[] {"Content-Type", "multipart/form-data; boundary=" + BOUNDARY});
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    write(b, "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"odi\"\r\n\r\n45\r\n");
    write(b, "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"nrs\"\r\n\r\n7\r\n");
    write(b, "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; "
        + "filename=\"slice.dcm\"\r\nContent-Type: application/dicom\r\n\r\n");
    b.writeBytes(random.nextInt(40) == 0 ? slice : small);
    write(b, "\r\n--" + BOUNDARY + "--\r\n");
    r.body = b.toByteArray();
    return r;
  }

  private Request get() {
    Request r = new Request();
    r.method = "GET";
    r.path = GETS.get(random.nextInt(GETS.size()));
    r.contentLength = false;
    return r;
  }

  private Request submitOrReference() {
    if (random.nextBoolean()) {
      Request r = dicom();
      r.headers.add(new String[] {"Prefer", "respond-async"});
      return r;
    }
    Request r = new Request();
    r.headers.add(new String[] {"Content-Type", "application/json"});
    r.body = "{\"pacs\":\"main\",\"studyInstanceUid\":\"1.2.3\"}".getBytes(StandardCharsets.UTF_8);
    return r;
  }

  private void mutate(Request r) {
    switch (random.nextInt(12)) {
      case 0 -> r.method = pick(List.of("PUT", "DELETE", "PATCH", "OPTIONS", "GET", "POST",
          "FOO"));
      case 1 -> r.path = pick(List.of("/v1/analyses/", "/v1//analyses", "/v1/analyses%00",
          "/V1/ANALYSES", "/v1/analyses/../models", "/" + "a".repeat(random.nextInt(3000)),
          r.path + "/x", "*"));
      case 2 -> r.query.add(new String[] {pick(PARAMETERS), pick(VALUES)});
      case 3 -> {
        if (!r.query.isEmpty()) {
          r.query.get(random.nextInt(r.query.size()))[1] = pick(VALUES);
        }
      }
      case 4 -> setHeader(r, "Content-Type", pick(TYPES));
      case 5 -> r.headers.add(new String[] {"Accept", pick(ACCEPTS)});
      case 6 -> {
        String[] h = {pick(List.of("Expect", "Prefer", "X-Fuzz", "Transfer-Encoding",
            "Content-Encoding", "Origin")), pick(List.of("100-continue", "respond-async", "gzip",
            "chunked", "\u00ff\u00fe", "x".repeat(random.nextInt(9000)), "null",
            "http://evil.example"))};
        // a body that is not chunked under Transfer-Encoding: chunked cannot be framed
        brokenFraming |= h[0].equals("Transfer-Encoding") && h[1].equals("chunked");
        r.headers.add(h);
      }
      case 7 -> r.body = flip(r.body);
      case 8 -> r.body = Arrays.copyOf(r.body, r.body.length == 0 ? 0
          : random.nextInt(r.body.length));
      case 9 -> r.body = replace(r.body, BOUNDARY, pick(List.of("", "x", BOUNDARY + "-",
          BOUNDARY.toUpperCase())));
      case 10 -> {
        String with = pick(List.of("", "filename=", "filename=\"" + "\u00e9".repeat(50) + "\"",
            "name=\"odi\""));
        fieldWithoutFilename |= !with.startsWith("filename=\"")
            && new String(r.body, StandardCharsets.ISO_8859_1).contains("filename=\"slice.dcm\"");
        r.body = replace(r.body, "filename=\"slice.dcm\"", with);
      }
      default -> r.contentLength = random.nextInt(4) != 0;
    }
  }

  private static void setHeader(Request r, String name, String value) {
    r.headers.removeIf(h -> h[0].equalsIgnoreCase(name));
    r.headers.add(new String[] {name, value});
  }

  private byte[] flip(byte[] body) {
    if (body.length == 0) {
      return body;
    }
    byte[] out = body.clone();
    int n = 1 + random.nextInt(8);
    for (int i = 0; i < n; i++) {
      // the first 4 KiB hold the framing and the DICOM header: mutate there mostly
      int at = random.nextInt(Math.min(out.length, random.nextBoolean() ? 4096 : out.length));
      out[at] = (byte) random.nextInt(256);
    }
    return out;
  }

  private static byte[] replace(byte[] body, String what, String with) {
    String s = new String(body, StandardCharsets.ISO_8859_1);
    return s.replaceFirst(java.util.regex.Pattern.quote(what),
        java.util.regex.Matcher.quoteReplacement(with)).getBytes(StandardCharsets.ISO_8859_1);
  }

  private <T> T pick(List<T> from) {
    return from.get(random.nextInt(from.size()));
  }

  private static void write(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  /**
   * Sends {@code input} on a new connection and checks the answer.
   *
   * @return the status, or 0 when the server closed without answering a truncated request
   */
  private int exchange(int index, byte[] input) throws IOException {
    String where = "input " + index + " (seed " + SEED + "): "
        + new String(input, 0, Math.min(input.length, 300), StandardCharsets.ISO_8859_1)
            .replaceAll("[^\\x20-\\x7E\\r\\n]", "?");
    byte[] answer;
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(READ_TIMEOUT_MS);
      try {
        s.getOutputStream().write(input);
        if (truncated) {
          s.shutdownOutput(); // the client gives up: the server may close without answering
        }
      } catch (IOException answeredEarly) {
        // the server answered (413, 400) and closed before the whole body went
      }
      answer = readAll(s.getInputStream(), where);
    }
    String text = new String(answer, StandardCharsets.ISO_8859_1);
    if (ONLY >= 0) {
      System.out.println("--- input " + index + ":\n" + new String(input,
          StandardCharsets.ISO_8859_1).replaceAll("[^\\x20-\\x7E\\r\\n]", "?")
          + "\n--- answer:\n" + abbreviate(text));
    }
    while (text.startsWith("HTTP/1.1 100 ")) {
      text = text.substring(text.indexOf("\r\n\r\n") + 4);
    }
    if (text.isEmpty()) {
      if (fieldWithoutFilename && !truncated) {
        closedAtLargeField++;
        return 0;
      }
      assertTrue(truncated || brokenFraming, "closed without an answer: " + where);
      return 0;
    }
    int headEnd = text.indexOf("\r\n\r\n");
    // HTTP/1.0 when the request line was too malformed to tell its version
    assertTrue(text.matches("(?s)HTTP/1\\.[01] \\d{3}.*") && headEnd > 0, "no HTTP answer to "
        + where
        + "\n--- answer: " + abbreviate(text));
    int status = Integer.parseInt(text.substring(9, 12));
    String head = text.substring(0, headEnd).toLowerCase(java.util.Locale.ROOT);
    assertTrue(status < 500, "server error " + status + " for " + where + "\n--- answer: "
        + abbreviate(text));
    if (status >= 400) {
      assertTrue(head.contains("content-type: application/problem+json"), "a " + status
          + " that is not a problem JSON for " + where + "\n--- answer: " + abbreviate(text));
      String body = text.substring(headEnd + 4);
      if (head.contains("transfer-encoding: chunked")) {
        body = body.substring(body.indexOf("\r\n") + 2);
      }
      JsonObject problem = new JsonObject(body.substring(0, body.lastIndexOf('}') + 1));
      assertTrue(problem.getInteger("status", 0) == status && problem.getString("title") != null,
          "a problem without its status or title for " + where + ": " + problem);
    } else {
      assertTrue(status == 200 || status == 202 || status == 204, "status " + status + " for "
          + where);
    }
    return status;
  }

  /**
   * One response (after any 100 Continue): its head, then its body by Content-Length or chunked
   * framing, or to the end of the stream; what came before a reset or the end.
   */
  private static byte[] readAll(InputStream in, String where) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      String head;
      do {
        head = readHead(in, out);
      } while (head.startsWith("HTTP/1.1 100 "));
      String lower = head.toLowerCase(java.util.Locale.ROOT);
      java.util.regex.Matcher length = java.util.regex.Pattern
          .compile("\r\ncontent-length: *(\\d+)").matcher(lower);
      if (head.isEmpty() || lower.startsWith("http/1.1 204")) {
        return out.toByteArray();
      } else if (length.find()) {
        out.write(in.readNBytes(Integer.parseInt(length.group(1))));
      } else if (lower.contains("\r\ntransfer-encoding: chunked")) {
        while (!out.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n0\r\n\r\n")) {
          int c = in.read();
          if (c < 0) {
            break;
          }
          out.write(c);
        }
      } else {
        out.write(in.readAllBytes());
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no answer within " + READ_TIMEOUT_MS + " ms (a hang) for "
          + where, e);
    } catch (IOException reset) {
      // reset after the answer (a refused body): what came is the answer
    }
    return out.toByteArray();
  }

  /** Reads up to the end of a response head into {@code out}; "" at the end of the stream. */
  private static String readHead(InputStream in, ByteArrayOutputStream out) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        return "";
      }
      head.append((char) c);
      out.write(c);
    }
    return head.toString();
  }

  private static String abbreviate(String s) {
    return s.length() > 600 ? s.substring(0, 600) + "..." : s;
  }
}
