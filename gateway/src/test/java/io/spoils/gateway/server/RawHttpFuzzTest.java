package io.spoils.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A second HTTP fuzzer beside {@link HttpFuzzTest}, over raw sockets so that a mutant may break the
 * framing itself and gRPC-Web is reached too (issue 14 item 7): raw HTTP/1.1 requests, mutants of
 * the API's own requests ({@link HttpMutator}: request targets and query parameters, header values,
 * bodies, and the bytes of the head itself, which may break the framing), sent one by one to a
 * server on the example backend. Every answer must be a well-formed HTTP response below 500 (a
 * problem body never naming a Java class; a 200 event stream ending with its summary or an error;
 * gRPC-Web never INTERNAL or UNKNOWN), or, for a request whose framing the mutation broke, the
 * connection closed; the server must neither answer garbage nor leave a connection hanging, log
 * nothing at SEVERE, hold no admission slot afterwards, and still analyse a study. The seed is
 * fixed so that a failure names a mutant that can be replayed; longer explorations:
 * {@code -Dspoils.fuzz.seed=N -Dspoils.fuzz.raw=M}.
 */
class RawHttpFuzzTest extends GatedServerTestBase {

  private static final long SEED = Long.getLong("spoils.fuzz.seed", 14);
  private static final int COUNT = Integer.getInteger("spoils.fuzz.raw", 1000);
  private static final Pattern JAVA_CLASS = Pattern.compile("[A-Za-z]*(Exception|Error)\\b");
  private static final Pattern GRPC_FAILED = Pattern.compile("grpc-status: ?(2|13)\\b");

  @Test
  void server_mutantsOfApiRequests_wellFormedAnswersBelow500AndStillServes(Vertx vertx)
      throws Exception {
    server = GatedServer.start(vertx, trees);
    HttpMutator mutator = new HttpMutator(new Random(SEED), slice);
    Map<String, Integer> outcomes = new TreeMap<>();
    Map<String, Long> millis = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    Logger accessLog = Logger.getLogger(AccessLog.LOGGER);
    Level accessLevel = accessLog.getLevel();
    accessLog.setLevel(Level.WARNING); // thousands of access-log lines would drown the output
    long start = System.nanoTime();
    try (LogCapture logs = LogCapture.start()) {
      for (int i = 0; i < COUNT && failures.size() < 10; i++) {
        HttpMutator.Mutant mutant = mutator.next();
        long t0 = System.nanoTime();
        RawExchange.Answer answer = RawExchange.send(server.port(), mutant.bytes(),
            mutant.framed());
        String outcome = judge(mutant, answer);
        millis.merge(outcome.startsWith("FAIL") ? "FAIL" : outcome,
            (System.nanoTime() - t0) / 1_000_000, Long::sum);
        if (outcome.startsWith("FAIL")) {
          failures.add("mutant " + i + " (" + mutant.what() + "): " + outcome + "\n--- request "
              + "head:\n" + head(mutant.bytes()) + "\n--- answer:\n" + answer.text(600));
        }
        outcomes.merge(outcome.startsWith("FAIL") ? "FAIL" : outcome, 1, Integer::sum);
      }
      System.out.printf("RawHttpFuzzTest: %d mutants (seed %d) in %d ms; outcomes %s; ms per "
          + "outcome %s%n", COUNT, SEED, (System.nanoTime() - start) / 1_000_000, outcomes,
          millis);
      assertTrue(failures.isEmpty(), String.join("\n\n", failures));
      int severe = logs.text().indexOf("SEVERE");
      assertEquals(-1, severe, () -> "the server logged at SEVERE while fuzzed: "
          + logs.text().substring(severe, Math.min(logs.text().length(), severe + 2000)));
    } finally {
      accessLog.setLevel(accessLevel);
    }
    // afterwards: no slot held, and a plain study is still analysed
    long until = System.nanoTime() + 10_000_000_000L;
    while (server.service.admission().inFlight() > 0 && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    assertEquals(0, server.service.admission().inFlight(), "an admission slot is still held");
    RawExchange.Answer plain = RawExchange.send(server.port(), HttpMutator.plainAnalysis(slice),
        true);
    assertEquals(200, plain.status(), plain.text(600));
    assertTrue(plain.text(Integer.MAX_VALUE).contains("\"summary\""), plain.text(600));
  }

  /** "FAIL: why", or the outcome's class for the tally (status, or how it ended). */
  private static String judge(HttpMutator.Mutant mutant, RawExchange.Answer answer) {
    if (answer.hung()) {
      return "FAIL: neither answered nor closed within " + RawExchange.CLOSE_WAIT_MS
          + " ms after the request was complete or the client stopped sending";
    }
    if (answer.status() < 0) {
      if (answer.received().length > 0) {
        return "FAIL: not an HTTP response";
      }
      // closed without an answer: only for a request the mutation may have left incomplete
      return mutant.framed() ? "FAIL: closed without an answer" : "closed";
    }
    // 501 or 505 only for a request line whose protocol is not HTTP/1.x
    boolean http1 = mutant.requestLine().matches("\\S+ \\S+ HTTP/1\\.[01]");
    boolean version = (answer.status() == 501 || answer.status() == 505) && !http1;
    if (answer.status() >= 500 && !version) {
      return "FAIL: status " + answer.status();
    }
    String text = answer.text(Integer.MAX_VALUE);
    if (answer.contentType().startsWith("application/problem+json")
        && JAVA_CLASS.matcher(answer.body()).find()) {
      return "FAIL: the problem names a Java class";
    }
    if (GRPC_FAILED.matcher(text).find()) {
      return "FAIL: gRPC status INTERNAL or UNKNOWN";
    }
    boolean stream = answer.contentType().startsWith(HttpEndpoints.NDJSON)
        || answer.contentType().startsWith(HttpEndpoints.SSE);
    if (answer.status() == 200 && stream && answer.complete()
        && !answer.body().contains("\"summary\"") && !answer.body().contains("\"error\"")
        && !answer.body().contains("event: error")) {
      return "FAIL: a 200 event stream ended without its summary or an error";
    }
    return Integer.toString(answer.status());
  }

  private static String head(byte[] request) {
    String s = new String(request, 0, Math.min(request.length, 1200), StandardCharsets.ISO_8859_1);
    int end = s.indexOf("\r\n\r\n");
    return (end >= 0 ? s.substring(0, end) : s).replaceAll("[^\\x20-\\x7E\\n]", "?");
  }
}
