package io.spoils.gateway.server;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded mutants of the API's own HTTP/1.1 requests for {@link RawHttpFuzzTest}. A seed request (a
 * DICOM upload streamed as NDJSON or SSE, a multipart series with its form fields, a DICOMweb JSON
 * reference, a submission with {@code Prefer: respond-async}, a chunked upload with
 * {@code Expect: 100-continue}, gRPC-Web, the GET routes, a CORS preflight) gets one to three of:
 * a query parameter set to a boundary value, added, duplicated or garbled; a header set to a
 * hostile value, or removed; the body truncated or its text garbled (the DICOM bytes themselves
 * are the decoder fuzzer's); and, for one mutant in six, bytes of the serialised head flipped,
 * deleted, duplicated or replaced by separators. The framing ({@code Content-Length}, chunks) is
 * recomputed unless a mutation set it or touched the serialised head: those mutants are not
 * {@link Mutant#framed()}. Not thread-safe; test-only.
 */
final class HttpMutator {

  /**
   * One request to send.
   *
   * @param bytes the request as sent
   * @param framed whether its framing is intact (a server must answer it, not just close)
   * @param what the seed and the mutations, for a failure message
   */
  record Mutant(byte[] bytes, boolean framed, String what) {

    /** The request line as sent, up to its CRLF. */
    String requestLine() {
      return new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.ISO_8859_1)
          .split("\r\n", 2)[0];
    }
  }

  private static final String[] VALUES = {"", "0", "-1", "4%00", "NaN", "1e309", "4294967295",
      "2147483648", "true", "TRUE", "yes", "%", "%zz", "%C3%28", "45.5", "  7  ", "\u00e9",
      "x".repeat(300), "1,2", "[1]"};
  private static final String[] PARAMETERS = {"odi", "nrs", "include_mask", "max_contributions",
      "compute_volume", "store_results", "oid", "", "odi[]", "%00"};
  private static final String[] CONTENT_TYPES = {"application/dicom", "application/dicom; x=y",
      "APPLICATION/DICOM", "multipart/form-data", "multipart/form-data; boundary=",
      "multipart/form-data; boundary=\"q\"", "multipart/form-data; boundary=" + "b".repeat(80),
      "application/json", "application/json; charset=latin1", "text/plain", "",
      "application/grpc-web+proto", "application/grpc-web-text", "application/grpc",
      "application/x-www-form-urlencoded", "*/*"};
  private static final String[][] HEADERS = {
      {"Accept", "text/event-stream"}, {"Accept", "text/event-stream;q=0"},
      {"Accept", "*/*;q=abc"}, {"Accept", "image/png"}, {"Accept", ""},
      {"Prefer", "respond-async"}, {"Prefer", "respond-async, wait=0"}, {"Prefer", "x"},
      {"Expect", "100-continue"}, {"Expect", "200-ok"}, {"Last-Event-ID", "-1"},
      {"Last-Event-ID", "99999999999999999999"}, {"Origin", "http://elsewhere.example"},
      {"Origin", "null"}, {"Authorization", "Bearer x"}, {"Authorization", "Basic %%%"},
      {"Host", ""}, {"Host", "[::1"}, {"Connection", "keep-alive"}, {"Connection", "upgrade"},
      // not "Upgrade: h2c": Vert.x 5.0.7 answers a refused h2c upgrade itself, before any
      // handler, with a 400 that has Connection: close and no length, and keeps the connection
      // open (DEVELOPERS.md); only an idle timeout ends it
      {"Upgrade", "websocket"}, {"Content-Encoding", "gzip"},
      {"X-Request-Id", "\u0001\u0002"}, {"X-Request-Id", "r".repeat(200)},
      {"X-Long", "v".repeat(10_000)}, {"TE", "trailers"}, {"grpc-timeout", "1n"},
      {"grpc-timeout", "99999999H"}, {"grpc-encoding", "gzip"},
      {"Access-Control-Request-Method", "POST"}};
  /** Headers whose values decide the framing: setting them leaves the mutant unframed. */
  private static final String[][] FRAMING = {{"Content-Length", "-1"},
      {"Content-Length", "99999999999999999999"}, {"Content-Length", "0"},
      {"Content-Length", "12, 12"}, {"Content-Length", "0x10"},
      {"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "gzip, chunked"},
      {"Transfer-Encoding", "identity"}};
  private static final String[] SEPARATORS = {"\r\n", "\n", "\r", ":", " ", "\t", "\u0000", "%",
      "?", "/", "\r\n\r\n", "\u00ff"};

  private final Random random;
  private final byte[] dicom;
  private final List<Seed> seeds;

  HttpMutator(Random random, byte[] dicom) {
    this.random = random;
    this.dicom = dicom;
    this.seeds = seeds(dicom);
  }

  /** The plain streamed analysis of {@code dicom}: the server must still answer it afterwards. */
  static byte[] plainAnalysis(byte[] dicom) {
    return seeds(dicom).get(0).copy().serialise();
  }

  Mutant next() {
    Seed seed = seeds.get(random.nextInt(seeds.size())).copy();
    List<String> what = new ArrayList<>(List.of(seed.name));
    int ops = 1 + random.nextInt(3);
    for (int k = 0; k < ops; k++) {
      what.add(mutate(seed));
    }
    byte[] bytes = seed.serialise();
    if (random.nextInt(6) == 0) {
      bytes = garbleHead(bytes);
      seed.framed = false;
      what.add("head bytes");
    }
    return new Mutant(bytes, seed.framed, String.join(", ", what));
  }

  private String mutate(Seed seed) {
    switch (random.nextInt(7)) {
      case 0, 1 -> {
        String name = pick(PARAMETERS);
        // "name#k" is a second "name" (serialise drops the suffix)
        String key = seed.query.containsKey(name) && random.nextInt(3) == 0
            ? name + "#" + random.nextInt(9) : name;
        seed.query.put(key, pick(VALUES));
        return "query " + name;
      }
      case 2 -> {
        seed.target = garble(seed.target);
        return "target";
      }
      case 3 -> {
        String type = pick(CONTENT_TYPES);
        seed.headers.put("Content-Type", type);
        return "Content-Type";
      }
      case 4 -> {
        if (random.nextInt(5) == 0) {
          String[] h = FRAMING[random.nextInt(FRAMING.length)];
          seed.headers.put(h[0], h[1]);
          seed.framed = false;
          return h[0] + ": " + h[1];
        }
        if (random.nextInt(4) == 0 && !seed.headers.isEmpty()) {
          String name = new ArrayList<>(seed.headers.keySet())
              .get(random.nextInt(seed.headers.size()));
          seed.headers.remove(name);
          return "no " + name;
        }
        String[] h = HEADERS[random.nextInt(HEADERS.length)];
        seed.headers.put(h[0], h[1]);
        return h[0];
      }
      default -> {
        if (seed.body.length == 0) {
          seed.body = pick(VALUES).getBytes(StandardCharsets.UTF_8);
          return "a body";
        }
        if (seed.body == dicom || random.nextBoolean()) {
          seed.body = Arrays.copyOf(seed.body, random.nextInt(seed.body.length));
          return "body truncated";
        }
        seed.body = garbleText(seed.body);
        return "body text";
      }
    }
  }

  private String pick(String[] values) {
    return values[random.nextInt(values.length)];
  }

  private String garble(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return new String(garbleText(b), StandardCharsets.ISO_8859_1);
  }

  /** One to three edits in the first 4 KiB of a textual part (JSON, multipart heads, a path). */
  private byte[] garbleText(byte[] in) {
    byte[] b = in;
    int edits = 1 + random.nextInt(3);
    for (int k = 0; k < edits && b.length > 0; k++) {
      int at = random.nextInt(Math.min(b.length, 4096));
      b = switch (random.nextInt(4)) {
        case 0 -> flip(b, at);
        case 1 -> delete(b, at, 1 + random.nextInt(16));
        case 2 -> insert(b, at, pick(SEPARATORS).getBytes(StandardCharsets.ISO_8859_1));
        default -> insert(b, at, Arrays.copyOfRange(b, at, Math.min(b.length,
            at + 1 + random.nextInt(32))));
      };
    }
    return b;
  }

  /** One to three edits within the serialised head (request line and headers). */
  private byte[] garbleHead(byte[] request) {
    int headEnd = indexOf(request, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    int limit = headEnd < 0 ? Math.min(request.length, 2048) : headEnd + 4;
    byte[] head = garbleText(Arrays.copyOf(request, limit));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head);
    out.write(request, limit, request.length - limit);
    return out.toByteArray();
  }

  private byte[] flip(byte[] in, int at) {
    byte[] b = in.clone();
    b[at] ^= (byte) (1 << random.nextInt(8));
    return b;
  }

  private static byte[] delete(byte[] b, int at, int n) {
    int end = Math.min(b.length, at + n);
    byte[] out = new byte[b.length - (end - at)];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(b, end, out, at, b.length - end);
    return out;
  }

  private static byte[] insert(byte[] b, int at, byte[] what) {
    byte[] out = new byte[b.length + what.length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(what, 0, out, at, what.length);
    System.arraycopy(b, at, out, at + what.length, b.length - at);
    return out;
  }

  private static int indexOf(byte[] b, byte[] what) {
    outer:
    for (int i = 0; i + what.length <= b.length; i++) {
      for (int j = 0; j < what.length; j++) {
        if (b[i + j] != what[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** The requests mutated: those the API documents, each well-formed as seeded. */
  private static List<Seed> seeds(byte[] dicom) {
    String boundary = "fuzz-boundary";
    ByteArrayOutputStream multipart = new ByteArrayOutputStream();
    multipart.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"odi\""
        + "\r\n\r\n45\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"nrs\"\r\n\r\n"
        + "7\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; "
        + "filename=\"a.dcm\"\r\nContent-Type: application/dicom\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    multipart.writeBytes(dicom);
    multipart.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    byte[] json = ("{\"dicomweb\": {\"pacs\": \"main\", \"studyInstanceUid\": \"1.2.3\", "
        + "\"seriesInstanceUid\": \"1.2.3.4\"}, \"odi\": 45, \"nrs\": 6}")
        .getBytes(StandardCharsets.US_ASCII);
    byte[] grpc = GatedServer.request(dicom).toByteArray();
    byte[] grpcWeb = ByteBuffer.allocate(5 + grpc.length).put((byte) 0).putInt(grpc.length)
        .put(grpc).array();
    byte[] none = new byte[0];
    List<Seed> out = new ArrayList<>();
    out.add(new Seed("dicom ndjson", "POST", "/v1/analyses", "odi=45&nrs=7",
        Map.of("Content-Type", "application/dicom", "Accept", "application/x-ndjson"), dicom));
    out.add(new Seed("dicom sse", "POST", "/v1/analyses", "include_mask=true",
        Map.of("Content-Type", "application/dicom", "Accept", "text/event-stream"), dicom));
    out.add(new Seed("multipart", "POST", "/v1/analyses", "max_contributions=3",
        Map.of("Content-Type", "multipart/form-data; boundary=" + boundary),
        multipart.toByteArray()));
    out.add(new Seed("dicomweb json", "POST", "/v1/analyses", "compute_volume=false",
        Map.of("Content-Type", "application/json"), json));
    out.add(new Seed("respond-async", "POST", "/v1/analyses", "odi=45&nrs=7",
        Map.of("Content-Type", "application/dicom", "Prefer", "respond-async"), dicom));
    Seed chunked = new Seed("chunked upload", "POST", "/v1/analyses", "",
        Map.of("Content-Type", "application/dicom", "Expect", "100-continue"), dicom);
    chunked.chunked = true;
    out.add(chunked);
    out.add(new Seed("grpc-web", "POST", "/spoils.v1.AnalysisService/Analyze", "",
        Map.of("Content-Type", "application/grpc-web+proto", "X-Grpc-Web", "1"), grpcWeb));
    out.add(new Seed("events", "GET", "/v1/analyses/0b5e1f9e-0000-4000-8000-000000000000/events",
        "", Map.of("Accept", "text/event-stream", "Last-Event-ID", "2"), none));
    out.add(new Seed("models", "GET", "/v1/models", "", Map.of(), none));
    out.add(new Seed("received", "GET", "/v1/received/abc", "", Map.of(), none));
    out.add(new Seed("ready", "GET", "/health/ready", "", Map.of(), none));
    out.add(new Seed("viewer", "GET", "/viewer/viewer.js", "", Map.of(), none));
    out.add(new Seed("preflight", "OPTIONS", "/v1/analyses", "", Map.of("Origin",
        "http://localhost:5173", "Access-Control-Request-Method", "POST"), none));
    return out;
  }

  /** A request before serialisation; mutable, copied for each mutant. */
  private static final class Seed {
    final String name;
    final String method;
    String target;
    final Map<String, String> query = new LinkedHashMap<>();
    final Map<String, String> headers = new LinkedHashMap<>();
    byte[] body;
    boolean chunked;
    boolean framed = true;

    Seed(String name, String method, String target, String query, Map<String, String> headers,
        byte[] body) {
      this.name = name;
      this.method = method;
      this.target = target;
      for (String p : query.split("&")) {
        if (!p.isEmpty()) {
          this.query.put(p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1));
        }
      }
      this.headers.putAll(headers);
      this.body = body;
    }

    Seed copy() {
      Seed c = new Seed(name, method, target, "", headers, body);
      c.query.putAll(query);
      c.chunked = chunked;
      return c;
    }

    /**
     * The request line, Host, the headers, Connection: close, and the framing: Content-Length or
     * chunks recomputed unless a mutation set one of them.
     */
    byte[] serialise() {
      StringBuilder head = new StringBuilder(method).append(' ').append(target);
      if (!query.isEmpty()) {
        head.append('?');
        List<String> pairs = new ArrayList<>();
        // "name#k" keys are duplicates of "name"
        query.forEach((k, v) -> pairs.add(k.replaceAll("#\\d$", "") + "=" + v));
        head.append(String.join("&", pairs));
      }
      head.append(" HTTP/1.1\r\n");
      if (!headers.containsKey("Host")) {
        head.append("Host: 127.0.0.1\r\n");
      }
      headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
      if (!headers.containsKey("Connection")) {
        head.append("Connection: close\r\n");
      }
      boolean setByMutation = headers.containsKey("Content-Length")
          || headers.containsKey("Transfer-Encoding");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (chunked && !setByMutation) {
        head.append("Transfer-Encoding: chunked\r\n\r\n");
        out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        for (int at = 0; at < body.length; at += 65_536) {
          int n = Math.min(65_536, body.length - at);
          out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
          out.write(body, at, n);
          out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
      }
      if (!setByMutation && (body.length > 0 || !method.equals("GET"))) {
        head.append("Content-Length: ").append(body.length).append("\r\n");
      }
      head.append("\r\n");
      out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.writeBytes(body);
      return out.toByteArray();
    }
  }
}
