package io.spoils.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.spoils.gateway.config.ConnectionOptions;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.proto.v1.AnalysisServiceGrpc;
import io.spoils.proto.v1.FileChunk;
import io.spoils.proto.v1.UploadRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

/**
 * Slow and idle clients cannot hold the server (issue 14, item 2), over real sockets: uploads
 * trickling in are cut off by the minimum upload rate and give their memory back while a normal
 * study completes; connections beyond the limit, or that send no headers, are closed; concurrent
 * large uploads are refused at the upload budget instead of running the heap out.
 */
class SlowClientsTest extends GatedServerTestBase {

  /** Short limits: 0.5 s header timeout, 1 kB/s after a 0.5 s grace. */
  private static ConnectionOptions quick(int maxConnections, long budget) {
    return new ConnectionOptions(0.5, 60, 1000, 0.5, maxConnections, budget);
  }

  @Test
  void slowUploads_cutOffAndGiveTheirMemoryBack_normalStudyRunsMeanwhile(Vertx vertx)
      throws Exception {
    server = GatedServer.start(vertx, trees, ServerOptions.defaults().withAdmission(1, 4),
        quick(100, 64L * 1024 * 1024));
    ExecutorService pool = Executors.newFixedThreadPool(3);
    AtomicBoolean stop = new AtomicBoolean();
    try {
      List<Future<String>> slow = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        slow.add(pool.submit(() -> trickle(server.port(), stop)));
      }
      assertTrue(GatedServer.eventually(() -> server.service.admission().arriving() == 3),
          "the slow uploads were admitted from their headers");
      assertTrue(server.server.uploads().budget().held() > 0, "their bytes are counted");
      // the slow uploads hold no analysis slot: a study that has arrived runs at once
      assertEquals(0, server.service.admission().inFlight());
      HttpURLConnection normal = post(server.port(), slice);
      assertEquals(200, normal.getResponseCode());
      String events = new String(normal.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(events.contains("\"summary\""), events);

      for (Future<String> f : slow) {
        String status = f.get(30, TimeUnit.SECONDS);
        assertTrue(status.startsWith("HTTP/1.1 408"), status);
      }
      assertTrue(GatedServer.eventually(() -> server.server.uploads().budget().held() == 0),
          "the cut-off uploads gave their memory back");
      assertEquals(0, server.service.admission().arriving());
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }
  }

  @Test
  void slowGrpcUpload_cutOffWithDeadlineExceeded_andGivesItsMemoryBack(Vertx vertx)
      throws Exception {
    server = GatedServer.start(vertx, trees, ServerOptions.defaults().withAdmission(1, 4),
        quick(100, 64L * 1024 * 1024));
    GrpcUploadTest.Events events = new GrpcUploadTest.Events();
    var upload = AnalysisServiceGrpc.newStub(server.channel).analyzeUpload(events);
    upload.onNext(GrpcUploadTest.header(1));
    CompletableFuture<Status> status = CompletableFuture.supplyAsync(() -> {
      try {
        return events.status();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    for (int i = 0; i < 300 && !status.isDone(); i++) {
      upload.onNext(UploadRequest.newBuilder().setChunk(FileChunk.newBuilder().setFileIndex(0)
          .setData(ByteString.copyFrom(new byte[] {(byte) i}))).build());
      Thread.sleep(100);
    }
    assertEquals(Status.Code.DEADLINE_EXCEEDED, status.get(30, TimeUnit.SECONDS).getCode());
    assertTrue(GatedServer.eventually(() -> server.server.uploads().budget().held() == 0
        && server.service.admission().arriving() == 0), "its place and memory were given back");
  }

  @Test
  void connections_beyondTheLimit_closed(Vertx vertx) throws Exception {
    server = GatedServer.start(vertx, trees, ServerOptions.defaults(),
        new ConnectionOptions(60, 60, 1000, 0.5, 3, 0));
    List<Socket> idle = new ArrayList<>();
    try {
      // three keep-alive connections, each served once and then left idle: the limit
      for (int i = 0; i < 3; i++) {
        Socket s = open(server.port());
        s.getOutputStream().write(LIVE);
        assertTrue(response(s).startsWith("HTTP/1.1 200"));
        idle.add(s);
      }
      for (int i = 0; i < 2; i++) {
        Socket beyond = open(server.port());
        idle.add(beyond);
        beyond.getOutputStream().write(LIVE);
        assertEquals("", response(beyond), "a connection beyond the limit is closed unanswered");
      }
      for (Socket s : idle) {
        s.close();
      }
      assertTrue(GatedServer.eventually(() -> {
        try (Socket s = open(server.port())) {
          s.getOutputStream().write(LIVE);
          return response(s).startsWith("HTTP/1.1 200");
        } catch (IOException e) {
          return false;
        }
      }), "served again once the idle connections went");
    } finally {
      for (Socket s : idle) {
        s.close();
      }
    }
  }

  @Test
  void http2Connection_noRequestWithinTheHeaderTimeout_closed(Vertx vertx) throws Exception {
    server = GatedServer.start(vertx, trees, ServerOptions.defaults(),
        new ConnectionOptions(0.5, 60, 1000, 0.5, 100, 0));
    try (Socket s = open(server.port())) {
      // the HTTP/2 preface and an empty SETTINGS frame, then no stream
      s.getOutputStream().write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0});
      assertTrue(closedByServer(s), "closed at the header timeout");
    }
  }

  @Test
  void connection_silentBeyondTheIdleTimeout_closed(Vertx vertx) throws Exception {
    server = GatedServer.start(vertx, trees, ServerOptions.defaults(),
        new ConnectionOptions(60, 0.5, 1000, 0.5, 100, 0));
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(30_000);
      assertTrue(closedByServer(s), "a socket that never sends anything is closed");
    }
  }

  @Test
  void concurrentLargeUploads_refusedAtTheBudget_neverMoreHeld(Vertx vertx) throws Exception {
    long maxUpload = 2L * 1024 * 1024;
    long budget = maxUpload + maxUpload / 2;
    server = GatedServer.start(vertx, trees, new ServerOptions("127.0.0.1", 0, 4, 16, maxUpload,
        2000, 60, 2), new ConnectionOptions(10, 60, 0, 5, 100, budget));
    byte[] body = new byte[(int) maxUpload];
    new Random(14).nextBytes(body);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long before = memory.getHeapMemoryUsage().getUsed();
    AtomicLong peak = new AtomicLong(before);
    AtomicBoolean sampling = new AtomicBoolean(true);
    Thread sampler = new Thread(() -> {
      while (sampling.get()) {
        peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        Thread.onSpinWait();
      }
    });
    sampler.start();
    ExecutorService pool = Executors.newFixedThreadPool(20);
    Map<Integer, Integer> statuses = new TreeMap<>();
    try {
      List<Future<Integer>> sent = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        // one in four is a byte over the limit: 413 from its declared length
        byte[] b = i % 4 == 3 ? java.util.Arrays.copyOf(body, body.length + 1) : body;
        sent.add(pool.submit(() -> post(server.port(), b).getResponseCode()));
      }
      for (Future<Integer> f : sent) {
        statuses.merge(f.get(120, TimeUnit.SECONDS), 1, Integer::sum);
      }
    } finally {
      sampling.set(false);
      sampler.join();
      pool.shutdownNow();
    }
    UploadBudget b = server.server.uploads().budget();
    System.out.printf("20 concurrent %d-byte uploads, budget %d: statuses %s, budget high water "
        + "%d, heap used before %d MiB, peak %d MiB (garbage included)%n", maxUpload, budget,
        statuses, b.highWater(), before >> 20, peak.get() >> 20);
    assertTrue(statuses.keySet().stream().allMatch(s -> s == 400 || s == 413 || s == 429),
        "random bytes are bad DICOM (400), too large (413) or over the budget (429): " + statuses);
    assertTrue(statuses.getOrDefault(429, 0) > 0, "some were refused at the budget: " + statuses);
    assertEquals(5, statuses.getOrDefault(413, 0), statuses.toString());
    assertTrue(b.highWater() <= budget, "never more than the budget held: " + b.highWater());
    assertTrue(GatedServer.eventually(() -> b.held() == 0), "everything given back");
  }

  /** Sends a request for 100 kB, then one byte every 100 ms; returns the status line. */
  private static String trickle(int port, AtomicBoolean stop) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(("POST /v1/analyses HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
          + "application/dicom\r\nContent-Length: 100000\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      for (int i = 0; i < 300 && !stop.get() && in.available() == 0; i++) {
        try {
          out.write('x');
          out.flush();
        } catch (IOException closed) {
          break;
        }
        sleep(100);
      }
      byte[] line = new byte[12];
      int n = in.readNBytes(line, 0, line.length);
      return new String(line, 0, n, StandardCharsets.US_ASCII);
    }
  }

  private static final byte[] LIVE = "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
      .getBytes(StandardCharsets.US_ASCII);

  private static Socket open(int port) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(30_000);
    return s;
  }

  /** One response's head and body (Content-Length), or "" when the server closes first. */
  private static String response(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    StringBuilder head = new StringBuilder();
    try {
      while (!head.toString().endsWith("\r\n\r\n")) {
        int c = in.read();
        if (c < 0) {
          return head.toString();
        }
        head.append((char) c);
      }
    } catch (java.net.SocketException reset) {
      return head.toString();
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)")
        .matcher(head);
    int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
    return head + new String(in.readNBytes(length), StandardCharsets.US_ASCII);
  }

  /** Whether the server closes {@code s} (end of stream or reset) within its read timeout. */
  private static boolean closedByServer(Socket s) {
    try {
      InputStream in = s.getInputStream();
      while (in.read() >= 0) {
        // what the server sent first (HTTP/2: its SETTINGS, then GOAWAY)
      }
      return true;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  private static HttpURLConnection post(int port, byte[] body) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port
        + "/v1/analyses?odi=45&nrs=7").toURL().openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setFixedLengthStreamingMode(body.length);
    c.setRequestProperty("Content-Type", "application/dicom");
    try (OutputStream out = c.getOutputStream()) {
      out.write(body);
    } catch (IOException refusedWhileSending) {
      // the server answered and closed before the whole body went: its status is still readable
    }
    return c;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
