package io.spoils.gateway.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One raw HTTP/1.1 exchange over a plain socket, for {@link RawHttpFuzzTest}: the request's bytes are
 * written by a helper thread while the answer is read, so a server that answers before reading the
 * whole body is seen as it is. The answer is read until its own framing ends it (Content-Length,
 * the last chunk, a 101 switch) or the server closes. A request that is {@code framed} must be
 * answered within {@link #ANSWER_WAIT_MS}; for one whose framing a mutation may have broken, the
 * client stops sending after {@link #UNFRAMED_WAIT_MS} (a server may rightly wait for declared
 * bytes), and the server must then answer or close within {@link #CLOSE_WAIT_MS}.
 */
final class RawExchange {

  static final int ANSWER_WAIT_MS = 30_000;
  static final int UNFRAMED_WAIT_MS = 1_000;
  static final int CLOSE_WAIT_MS = 5_000;
  private static final int MAX_ANSWER = 8 << 20;

  /**
   * What came back.
   *
   * @param received every byte received
   * @param status the final status (after any 1xx but 101), -1 when none could be read
   * @param complete whether the answer's own framing ended it (not a close)
   * @param hung whether the server neither finished answering nor closed in time
   * @param contentType the final answer's Content-Type, lower case ("" when none)
   * @param body the final answer's body, de-chunked, as ISO-8859-1 text
   */
  record Answer(byte[] received, int status, boolean complete, boolean hung, String contentType,
      String body) {

    /** At most {@code max} characters of what was received, non-printable bytes as '?'. */
    String text(int max) {
      String s = new String(received, 0, Math.min(received.length, max),
          StandardCharsets.ISO_8859_1);
      return s.replaceAll("[^\\x20-\\x7E\\r\\n]", "?");
    }
  }

  private RawExchange() {}

  static Answer send(int port, byte[] request, boolean framed) throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setTcpNoDelay(true);
      Thread writer = new Thread(() -> write(socket, request), "fuzz-writer");
      writer.setDaemon(true);
      writer.start();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      long start = System.nanoTime();
      long stopSendingAt = framed ? Long.MAX_VALUE : start + UNFRAMED_WAIT_MS * 1_000_000L;
      long giveUpAt = start + (framed ? ANSWER_WAIT_MS : UNFRAMED_WAIT_MS + CLOSE_WAIT_MS)
          * 1_000_000L;
      byte[] buffer = new byte[65_536];
      boolean stoppedSending = false;
      String version = version(request);
      while (true) {
        Parsed parsed = Parsed.of(got.toByteArray(), false, version);
        if (parsed.complete()) {
          return parsed.answer(got.toByteArray(), false);
        }
        long now = System.nanoTime();
        if (!stoppedSending && now > stopSendingAt) {
          stoppedSending = true;
          writer.interrupt();
          try {
            socket.shutdownOutput();
          } catch (IOException closed) {
            // the server closed already
          }
        }
        if (now > giveUpAt || got.size() > MAX_ANSWER) {
          return parsed.answer(got.toByteArray(), true);
        }
        socket.setSoTimeout(100);
        int n;
        try {
          n = in.read(buffer);
        } catch (SocketTimeoutException notYet) {
          continue;
        } catch (IOException reset) {
          n = -1;
        }
        if (n < 0) {
          return Parsed.of(got.toByteArray(), true, version).answer(got.toByteArray(), false);
        }
        got.write(buffer, 0, n);
      }
    }
  }

  /** The request line as sent (up to its CRLF), which a mutation may have garbled. */
  private static String version(byte[] request) {
    return new String(request, 0, Math.min(request.length, 4096),
        StandardCharsets.ISO_8859_1).split("\r\n", 2)[0];
  }

  private static void write(Socket socket, byte[] request) {
    try {
      OutputStream out = socket.getOutputStream();
      for (int at = 0; at < request.length && !Thread.currentThread().isInterrupted();
          at += 65_536) {
        out.write(request, at, Math.min(65_536, request.length - at));
      }
      out.flush();
    } catch (IOException closedByServer) {
      // a server may answer and close before the body is read: the answer says what happened
    }
  }

  /** The answer as parsed so far. */
  private record Parsed(int status, boolean complete, String contentType, String body) {

    Answer answer(byte[] received, boolean hung) {
      return new Answer(received, status, complete, hung && !complete, contentType, body);
    }

    /**
     * Parses {@code b}; {@code closed}: the server closed after sending it. A status line's
     * protocol must be HTTP/1.x, or taken from the request line {@code requestLine}: Vert.x 5.0.7
     * answers a request line with a garbled version ("HT/1.1") with a 400 that echoes it.
     */
    static Parsed of(byte[] b, boolean closed, String requestLine) {
      String s = new String(b, StandardCharsets.ISO_8859_1);
      int at = 0;
      while (true) {
        int headEnd = s.indexOf("\r\n\r\n", at);
        if (headEnd < 0) {
          return new Parsed(-1, false, "", "");
        }
        String head = s.substring(at, headEnd);
        String[] line = head.split("\r\n", 2)[0].split(" ", 3);
        // compared with non-ASCII and control characters as '?': the echo re-encodes them
        boolean protocol = line[0].startsWith("HTTP/1.") || !line[0].isEmpty()
            && ascii(requestLine).contains(ascii(line[0]));
        if (line.length < 2 || !protocol || !line[1].matches("\\d{3}")) {
          return new Parsed(-1, false, "", "");
        }
        int status = Integer.parseInt(line[1]);
        if (status == 101) {
          return new Parsed(status, true, "", "");
        }
        if (status >= 100 && status < 200) {
          at = headEnd + 4;
          continue;
        }
        String type = header(head, "content-type");
        String length = header(head, "content-length");
        boolean chunked = header(head, "transfer-encoding").contains("chunked");
        String rest = s.substring(headEnd + 4);
        if (status == 204 || status == 304) {
          return new Parsed(status, true, type, "");
        }
        if (chunked) {
          return dechunk(status, type, rest);
        }
        if (!length.isEmpty()) {
          long n = Long.parseLong(length.trim());
          boolean whole = rest.length() >= n;
          return new Parsed(status, whole, type, whole ? rest.substring(0, (int) n) : rest);
        }
        return new Parsed(status, closed, type, rest);
      }
    }

    private static String ascii(String s) {
      return s.replaceAll("[^\\x21-\\x7E]", "?");
    }

    private static Parsed dechunk(int status, String type, String rest) {
      StringBuilder body = new StringBuilder();
      int at = 0;
      while (true) {
        int eol = rest.indexOf("\r\n", at);
        if (eol < 0) {
          return new Parsed(status, false, type, body.toString());
        }
        int size;
        try {
          size = Integer.parseInt(rest.substring(at, eol).split(";")[0].trim(), 16);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
          return new Parsed(-1, false, "", ""); // not a chunk: not HTTP
        }
        if (size == 0) { // the last chunk, then trailers up to an empty line
          return new Parsed(status, rest.indexOf("\r\n\r\n", eol) >= 0, type, body.toString());
        }
        if (rest.length() < eol + 2 + size + 2) {
          body.append(rest, eol + 2, Math.min(rest.length(), eol + 2 + size));
          return new Parsed(status, false, type, body.toString());
        }
        body.append(rest, eol + 2, eol + 2 + size);
        at = eol + 2 + size + 2;
      }
    }

    private static String header(String head, String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
          return line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
        }
      }
      return "";
    }
  }
}
