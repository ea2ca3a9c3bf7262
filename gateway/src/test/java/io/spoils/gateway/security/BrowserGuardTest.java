package io.spoils.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.config.AuthOptions;
import io.spoils.gateway.config.HostOptions;
import io.spoils.gateway.config.SecurityOptions;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.config.TlsOptions;
import io.spoils.gateway.testing.DefaultTrees;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Host allow-list and the cross-origin refusal on a real server: a DNS-rebound Host gets
 * 421, a multipart form POST from a foreign page gets 403 problem JSON, while same-origin,
 * CORS-allowed and non-browser requests pass.
 */
@ExtendWith(VertxExtension.class)
@ExtendWith(DefaultTrees.class)
class BrowserGuardTest {

  private static final String VIEWER = "https://viewer.example.org";
  private static SecuredServer guarded;
  private static SecuredServer open;

  @BeforeAll
  static void start(XgbTreeGrader trees) throws Exception {
    Vertx vertx = Vertx.vertx();
    guarded = SecuredServer.start(vertx, trees,
        ServerOptions.defaults().withCorsAllowedOrigins(List.of(VIEWER)),
        new SecurityOptions(AuthOptions.none(), TlsOptions.none(),
            new HostOptions(List.of("127.0.0.1", "spoils.example.org", "*.hospital.lan"))));
    open = SecuredServer.start(vertx, trees, SecurityOptions.none());
  }

  @AfterAll
  static void stop() throws Exception {
    guarded.close();
    open.close();
  }

  /** A raw HTTP/1.1 GET with {@code host} as Host: the status line's code and the body. */
  private static String[] rawGet(SecuredServer server, String path, String host)
      throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.server.port())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      String text = all.toString(StandardCharsets.UTF_8);
      return new String[] {text.substring(9, 12), text.substring(text.indexOf("\r\n\r\n") + 4)};
    }
  }

  private static HttpRequest.Builder multipart(SecuredServer server, String origin) {
    String boundary = "b0undary";
    byte[] form = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; "
        + "filename=\"a.dcm\"\r\nContent-Type: application/dicom\r\n\r\nnot dicom\r\n--"
        + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    HttpRequest.Builder b = HttpRequest.newBuilder(server.uri("/v1/analyses"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(form));
    return origin == null ? b : b.header("Origin", origin);
  }

  @Test
  void host_notListed_421Problem() throws Exception {
    String[] r = rawGet(guarded, "/v1/models", "rebound.attacker.example:" + guarded.server.port());
    assertEquals("421", r[0]);
    JsonObject problem = new JsonObject(r[1]);
    assertEquals(421, problem.getInteger("status"));
    assertTrue(problem.getString("detail").contains("rebound.attacker.example"));
  }

  @Test
  void host_listedOrSubdomain_served() throws Exception {
    assertEquals("200", rawGet(guarded, "/v1/models", "spoils.example.org:8443")[0]);
    assertEquals("200", rawGet(guarded, "/v1/models", "gw.hospital.lan")[0]);
    assertEquals("421", rawGet(guarded, "/v1/models", "hospital.lan.attacker.example")[0]);
  }

  @Test
  void host_healthExemptAndAnyHostByDefault() throws Exception {
    assertEquals("200", rawGet(guarded, "/health/live", "10.1.2.3:8080")[0]);
    assertEquals("200", rawGet(open, "/v1/models", "anything.example")[0]);
  }

  @Test
  void origin_foreignMultipartPost_403ProblemBeforeTheStudy() throws Exception {
    for (SecuredServer server : List.of(guarded, open)) {
      HttpResponse<String> r = server.send(multipart(server, "https://evil.example").build());
      assertEquals(403, r.statusCode());
      assertEquals("application/problem+json", r.headers().firstValue("Content-Type")
          .orElse(""));
      assertTrue(new JsonObject(r.body()).getString("detail").contains("evil.example"));
      assertEquals(403, server.send(multipart(server, "null").build()).statusCode());
    }
  }

  @Test
  void origin_sameOriginCorsAllowedOrNone_reachTheRoute() throws Exception {
    // 400: the route judged the (not DICOM) study, so the filters let it through
    String own = "http://127.0.0.1:" + guarded.server.port();
    assertEquals(400, guarded.send(multipart(guarded, own).build()).statusCode());
    assertEquals(400, guarded.send(multipart(guarded, VIEWER).build()).statusCode());
    assertEquals(400, guarded.send(multipart(guarded, "https://spoils.example.org").build())
        .statusCode(), "a page from a listed host (behind a proxy) is same-site");
    assertEquals(400, open.send(multipart(open, null).build()).statusCode());
  }

  @Test
  void origin_foreignGet_servedWithoutCorsHeaders() throws Exception {
    HttpResponse<String> r = open.send(HttpRequest.newBuilder(open.uri("/v1/models"))
        .header("Origin", "https://evil.example").build());
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
  }
}
