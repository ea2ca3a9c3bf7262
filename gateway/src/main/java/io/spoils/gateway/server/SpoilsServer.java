package io.spoils.gateway.server;

import io.spoils.gateway.config.ConnectionOptions;
import io.spoils.gateway.config.ListenOptions;
import io.spoils.gateway.config.SecurityOptions;
import io.spoils.gateway.failure.FailureCode;
import io.spoils.gateway.ingest.DicomListener;
import io.spoils.gateway.ingest.DicomWebClient;
import io.spoils.gateway.ingest.ReceivedAnalyses;
import io.spoils.gateway.security.Security;
import io.spoils.gateway.service.AnalysisService;
import io.spoils.gateway.service.Drain;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.server.GrpcServer;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * gRPC and HTTP on one port: requests whose Content-Type starts with {@code application/grpc}
 * (HTTP/2, cleartext prior knowledge or upgrade) go to {@link GrpcEndpoints}, all others to
 * {@link HttpEndpoints}. With {@code ingest().dicomPort()} set, also the DICOM C-STORE listener
 * ({@link DicomListener}), whose analyses {@code GET /v1/received} serves. Every request first
 * passes the ordered filter chain ({@link RequestFilters}: CORS, authentication), on both
 * transports. Connections are bounded in number and time ({@link ConnectionGuard}); request
 * bodies still arriving in pace and memory ({@link Uploads}), on both transports alike.
 */
public final class SpoilsServer implements Drain.Shutdown {

  private final HttpServer http;
  private final Optional<DicomListener> dicom;
  private final Uploads uploads;

  /** Stops the TLS, token and JWKS files' reload checks. */
  private final Runnable stopReload;

  private SpoilsServer(HttpServer http, Optional<DicomListener> dicom, Runnable stopReload,
      Uploads uploads) {
    this.http = http;
    this.uploads = uploads;
    this.dicom = dicom;
    this.stopReload = stopReload;
  }

  /** Binds {@code service.options()}'s host and port and serves until {@link #close()}. */
  public static Future<SpoilsServer> start(Vertx vertx, AnalysisService service) {
    return start(vertx, service, SecurityOptions.none());
  }

  /**
   * Binds {@code service.options()}'s host and port with {@code security} (TLS, authentication,
   * the Host allow-list) and serves until {@link #close()}. A token, JWKS or TLS file that cannot
   * be read fails the start; all are checked for changes and reloaded while it serves.
   */
  public static Future<SpoilsServer> start(Vertx vertx, AnalysisService service,
      SecurityOptions security) {
    return start(vertx, service, security, ConnectionOptions.defaults());
  }

  /**
   * As {@link #start(Vertx, AnalysisService, SecurityOptions)}, with {@code connections}' limits
   * on connections and on requests still arriving ({@link ConnectionGuard}, {@link Uploads}).
   */
  public static Future<SpoilsServer> start(Vertx vertx, AnalysisService service,
      SecurityOptions security, ConnectionOptions connections) {
    Security loaded;
    try {
      loaded = Security.load(security);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    ReceivedAnalyses received = new ReceivedAnalyses(ReceivedAnalyses.DEFAULT_CAPACITY);
    Future<Optional<DicomListener>> dicom = service.options().ingest().dicomPort().isEmpty()
        ? Future.succeededFuture(Optional.empty())
        : DicomListener.start(vertx, service, received, security.tls()).map(Optional::of);
    Uploads uploads = new Uploads(connections);
    return dicom.compose(listener -> start(vertx, service, loaded,
            listener.isEmpty() ? null : received, connections, uploads)
        .map(http -> new SpoilsServer(http, listener, loaded.watch(vertx, http), uploads))
        .recover(e -> listener.map(DicomListener::close).orElse(Future.succeededFuture())
            .transform(v -> Future.failedFuture(e))));
  }

  private static Future<HttpServer> start(Vertx vertx, AnalysisService service,
      Security security, ReceivedAnalyses received, ConnectionOptions connections,
      Uploads uploads) {
    DicomWebClient dicomWeb = dicomWeb(service);
    GrpcServer grpc = new GrpcEndpoints(service, dicomWeb, uploads).create(vertx);
    HttpEndpoints routes = new HttpEndpoints(service, new ReceivedRoutes(received), dicomWeb,
        uploads);
    ConnectionGuard guard = new ConnectionGuard(vertx, connections);
    ListenOptions listen = service.options().listen();
    HttpServerOptions options = new HttpServerOptions()
        .setHost(listen.host()).setPort(listen.port())
        .setHttp2ClearTextEnabled(true)
        .setMaxFormFields(HttpEndpoints.maxFormFields(service.options()));
    guard.apply(options);
    security.tls().ifPresent(tls -> tls.apply(options)); // TLS 1.2+, ALPN h2, optional mTLS
    HttpServer server = vertx.createHttpServer(options);
    server.connectionHandler(guard::connected);
    server.invalidRequestHandler(InvalidRequests::answer);
    RequestFilters filters = new RequestFilters(RequestFilters.standard(service.options(),
        security), req -> {
      String type = req.getHeader("Content-Type");
      if (type != null && type.startsWith("application/grpc")) {
        if (req.path().chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
          grpc.handle(req);
        } else {
          // Vert.x would answer "Method not found: PATH" with the control characters in a
          // header, which fails unhandled and closes the connection without an answer
          Refusal.refuse(req, FailureCode.INVALID_INPUT, "the method path is not printable "
              + "ASCII", Map.of());
        }
      } else {
        routes.handle(req);
      }
    });
    server.requestHandler(req -> {
      guard.request(req);
      filters.handle(req);
    });
    return server.listen();
  }

  /** A client of the PACS of {@code service.options()}, within its study limits. */
  static DicomWebClient dicomWeb(AnalysisService service) {
    return new DicomWebClient(service.vertx(), service.options().ingest().pacs(),
        service.options().maxUploadBytes(), service.options().maxFiles());
  }

  /** The limits on requests still arriving (the upload budget's use, for tests). */
  Uploads uploads() {
    return uploads;
  }

  /** The bound port (the chosen one when the options asked for port 0). */
  public int port() {
    return http.actualPort();
  }

  /**
   * Stops accepting connections, lets open requests and streams end (HTTP/2 GOAWAY) for up to
   * {@code grace}, then closes the rest.
   */
  @Override
  public Future<Void> shutdown(java.time.Duration grace) {
    stopReload.run();
    Future<Void> listener = dicom.map(DicomListener::close).orElse(Future.succeededFuture());
    return listener.transform(v -> http.shutdown(grace.toMillis(),
        java.util.concurrent.TimeUnit.MILLISECONDS));
  }

  /** The C-STORE listener's bound port, when it is on. */
  public OptionalInt dicomPort() {
    return dicom.map(d -> OptionalInt.of(d.port())).orElse(OptionalInt.empty());
  }

  public Future<Void> close() {
    stopReload.run();
    Future<Void> listener = dicom.map(DicomListener::close).orElse(Future.succeededFuture());
    return listener.transform(v -> http.close());
  }
}
