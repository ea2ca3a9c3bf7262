package io.spoils.gateway.server;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The web viewer's static files, read once from the class path ({@value #RESOURCES}): {@code GET
 * /viewer/} is its page, {@code GET /viewer/{file}} one of {@link #FILES}, and {@code GET /viewer}
 * redirects (308) to {@code /viewer/} so that the page's relative URLs resolve. Any other file is
 * a 404 problem JSON. The page calls the same origin only (a Content-Security-Policy says so): it
 * posts the study with {@code Prefer: respond-async} and follows {@link RetainedRoutes}.
 */
public final class ViewerRoutes {

  /** Class-path folder of the viewer's files. */
  static final String RESOURCES = "/io/spoils/gateway/viewer/";
  /** The files served, with their media types. */
  static final Map<String, String> FILES = Map.of(
      "index.html", "text/html; charset=utf-8",
      "viewer.js", "text/javascript; charset=utf-8",
      "viewer.css", "text/css; charset=utf-8");
  /** The page may load its own scripts, styles and the analysis' images, and call this origin. */
  static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' blob: data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
      + "frame-ancestors 'none'";

  private final Map<String, Buffer> content = new LinkedHashMap<>();

  public ViewerRoutes() {
    FILES.keySet().forEach(name -> content.put(name, read(name)));
  }

  /** The three routes, for {@link HttpEndpoints}'s route table. */
  public Map<HttpEndpoints.Route, Handler<HttpServerRequest>> routes() {
    Map<HttpEndpoints.Route, Handler<HttpServerRequest>> out = new LinkedHashMap<>();
    out.put(new HttpEndpoints.Route(HttpMethod.GET, "/viewer"), req -> req.response()
        .setStatusCode(308).putHeader("Location", "/viewer/").end());
    out.put(new HttpEndpoints.Route(HttpMethod.GET, "/viewer/"),
        req -> serve(req.response(), "index.html"));
    out.put(new HttpEndpoints.Route(HttpMethod.GET, "/viewer/{file}"),
        req -> serve(req.response(), req.path().substring("/viewer/".length())));
    return out;
  }

  private void serve(HttpServerResponse response, String name) {
    Buffer body = content.get(name);
    if (body == null) {
      HttpEndpoints.problem(response, 404, "Not found", "the viewer has no such file");
      return;
    }
    response.setStatusCode(200).putHeader("Content-Type", FILES.get(name))
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Content-Security-Policy", CSP)
        .end(body);
  }

  private static Buffer read(String name) {
    try (InputStream in = ViewerRoutes.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + RESOURCES + name + " is missing");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCES + name, e);
    }
  }
}
