package io.spoils.gateway.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's {@code chromium}, headless, driven over the Chrome DevTools Protocol: started on one
 * page, it answers {@link #call} (a CDP method on that page) and {@link #eval} (a JavaScript
 * expression's value). A test helper; blocking; {@link #close()} kills the browser and removes
 * its profile. {@link #binary()} says where chromium is ({@code -Dspoils.chromium=PATH}, else
 * {@code chromium} or {@code chromium-browser} on the PATH).
 */
final class HeadlessChromium implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("DevTools listening on ws://([^/]+)/");

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();

  private HeadlessChromium(Process process, Path profile, String pageSocket) throws Exception {
    this.process = process;
    this.profile = profile;
    this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create(pageSocket), new Listener()).get(30, TimeUnit.SECONDS);
  }

  /** The chromium binary, when there is one. */
  static Optional<Path> binary() {
    String set = System.getProperty("spoils.chromium");
    if (set != null && !set.isBlank()) {
      return Optional.of(Path.of(set)).filter(Files::isExecutable);
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      for (String name : new String[] {"chromium", "chromium-browser"}) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  /** Starts {@code chromium} on {@code url} with a {@code width} x {@code height} window. */
  static HeadlessChromium open(Path chromium, String url, int width, int height)
      throws Exception {
    Path profile = Files.createTempDirectory("spoils-chromium");
    Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
        "--disable-extensions", "--remote-allow-origins=*", "--remote-debugging-port=0",
        "--user-data-dir=" + profile, "--window-size=" + width + "," + height, url)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      String host = devToolsHost(p);
      HttpResponse<String> list = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://" + host + "/json/list")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonArray targets = new JsonArray(list.body());
      String page = targets.stream().map(JsonObject.class::cast)
          .filter(t -> "page".equals(t.getString("type"))).findFirst()
          .orElseThrow(() -> new IllegalStateException("no page target: " + list.body()))
          .getString("webSocketDebuggerUrl");
      return new HeadlessChromium(p, profile, page);
    } catch (Exception | Error e) {
      p.destroyForcibly();
      throw e;
    }
  }

  /** Reads the browser's stderr until it says where DevTools listens (host:port). */
  private static String devToolsHost(Process p) throws IOException {
    BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(),
        StandardCharsets.UTF_8));
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (String line; System.nanoTime() < until && (line = err.readLine()) != null; ) {
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        Thread drain = new Thread(() -> err.lines().forEach(l -> { }), "chromium-stderr");
        drain.setDaemon(true);
        drain.start();
        return m.group(1);
      }
    }
    throw new IllegalStateException("chromium did not start its DevTools server");
  }

  /** Calls CDP {@code method} on the page; its {@code result}. */
  JsonObject call(String method, JsonObject params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonObject> answer = new CompletableFuture<>();
    pending.put(id, answer);
    socket.sendText(new JsonObject().put("id", id).put("method", method).put("params", params)
        .encode(), true).get(10, TimeUnit.SECONDS);
    JsonObject reply = answer.get(60, TimeUnit.SECONDS);
    if (reply.containsKey("error")) {
      throw new IllegalStateException(method + ": " + reply.getJsonObject("error").encode());
    }
    return reply.getJsonObject("result");
  }

  /** The value of JavaScript {@code expression} in the page (promises awaited). */
  Object eval(String expression) throws Exception {
    JsonObject r = call("Runtime.evaluate", new JsonObject().put("expression", expression)
        .put("returnByValue", true).put("awaitPromise", true));
    if (r.containsKey("exceptionDetails")) {
      throw new IllegalStateException(expression + " threw "
          + r.getJsonObject("exceptionDetails").encode());
    }
    return r.getJsonObject("result").getValue("value");
  }

  @Override
  public void close() throws Exception {
    socket.abort();
    // chromium's helper processes (network service, renderers) write into the profile too: all of
    // them must be gone before it is deleted, or a file appears or vanishes during the walk
    java.util.List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    children.forEach(ProcessHandle::destroy);
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    for (ProcessHandle child : children) {
      try {
        child.onExit().get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        child.destroyForcibly();
      }
    }
    try (var files = Files.walk(profile)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  /** Joins fragmented frames and completes the call each answer names. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        JsonObject message = new JsonObject(text.toString());
        text.setLength(0);
        Integer id = message.getInteger("id");
        CompletableFuture<JsonObject> answer = id == null ? null : pending.remove(id);
        if (answer != null) {
          answer.complete(message);
        }
      }
      ws.request(1);
      return null;
    }
  }
}
