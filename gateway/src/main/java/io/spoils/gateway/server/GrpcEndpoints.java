package io.spoils.gateway.server;

import io.spoils.proto.v1.AnalysisEvent;
import io.spoils.proto.v1.AnalyzeRequest;
import io.spoils.proto.v1.ListModelsRequest;
import io.spoils.proto.v1.ListModelsResponse;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;

/**
 * {@code spoils.v1.AnalysisService} over gRPC: {@code Analyze} (events streamed as they are ready,
 * write-queue backpressure respected) and {@code ListModels}; also {@code grpc.health.v1.Health/Check}
 * ({@link GrpcHealth}). {@code AnalyzeUpload} is answered
 * UNIMPLEMENTED by Vert.x, as every method without a handler.
 */
public final class GrpcEndpoints {

  static final ServiceName SERVICE = ServiceName.create("spoils.v1.AnalysisService");
  static final ServiceMethod<AnalyzeRequest, AnalysisEvent> ANALYZE = ServiceMethod.server(
      SERVICE, "Analyze", GrpcMessageEncoder.encoder(),
      GrpcMessageDecoder.decoder(AnalyzeRequest.newBuilder()));
  static final ServiceMethod<ListModelsRequest, ListModelsResponse> LIST_MODELS =
      ServiceMethod.server(SERVICE, "ListModels", GrpcMessageEncoder.encoder(),
          GrpcMessageDecoder.decoder(ListModelsRequest.newBuilder()));

  private final AnalysisService service;

  public GrpcEndpoints(AnalysisService service) {
    this.service = service;
  }

  /** A gRPC server (a request handler for HTTP/2 requests) with the service's methods. */
  public GrpcServer create(Vertx vertx) {
    // headroom over the study limit for the request's other fields and the protobuf framing
    long maxMessage = service.options().maxUploadBytes() + 1024 * 1024;
    GrpcServer server = GrpcServer.server(vertx, new GrpcServerOptions()
        .setMaxMessageSize(maxMessage));
    server.callHandler(ANALYZE, this::analyze);
    server.callHandler(LIST_MODELS, call -> call.handler(m -> call.response()
        .end(ListModelsResponse.newBuilder().addAllModels(service.models()).build())));
    new GrpcHealth(service).register(server);
    return server;
  }

  private void analyze(GrpcServerRequest<AnalyzeRequest, AnalysisEvent> call) {
    call.handler(request -> {
      GrpcServerResponse<AnalyzeRequest, AnalysisEvent> response = call.response();
      AnalysisService.Job job;
      try {
        job = service.job(request);
      } catch (RuntimeException e) {
        fail(response, e);
        return;
      }
      QueuedWriter<AnalysisEvent> writer = new QueuedWriter<>(response);
      service.analyze(job, writer::write).onComplete(ar -> writer.finish(stream -> {
        if (ar.succeeded()) {
          response.end();
        } else {
          fail(response, ar.cause());
        }
      }));
    });
  }

  private void fail(GrpcServerResponse<?, ?> response, Throwable failure) {
    ErrorMapping.Mapped m = service.failed(failure);
    GrpcStatus status = m.grpc();
    response.status(status).statusMessage(m.detail()).end();
  }
}
