package io.spoils.gateway.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.server.GrpcServer;

/**
 * gRPC and HTTP on one port: requests whose Content-Type starts with {@code application/grpc}
 * (HTTP/2, cleartext prior knowledge or upgrade) go to {@link GrpcEndpoints}, all others to
 * {@link HttpEndpoints}.
 */
public final class SpoilsServer {

  private final HttpServer http;

  private SpoilsServer(HttpServer http) {
    this.http = http;
  }

  /** Binds {@code service.options()}'s host and port and serves until {@link #close()}. */
  public static Future<SpoilsServer> start(Vertx vertx, AnalysisService service) {
    GrpcServer grpc = new GrpcEndpoints(service).create(vertx);
    HttpEndpoints routes = new HttpEndpoints(service);
    HttpServer server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(service.options().host()).setPort(service.options().port())
        .setHttp2ClearTextEnabled(true)
        .setMaxFormFields(HttpEndpoints.maxFormFields(service.options())));
    server.requestHandler(req -> {
      String type = req.getHeader("Content-Type");
      if (type != null && type.startsWith("application/grpc")) {
        grpc.handle(req);
      } else {
        routes.handle(req);
      }
    });
    return server.listen().map(SpoilsServer::new);
  }

  /** The bound port (the chosen one when the options asked for port 0). */
  public int port() {
    return http.actualPort();
  }

  /**
   * Stops accepting connections, lets open requests and streams end (HTTP/2 GOAWAY) for up to
   * {@code grace}, then closes the rest.
   */
  public Future<Void> shutdown(java.time.Duration grace) {
    return http.shutdown(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  public Future<Void> close() {
    return http.close();
  }
}
