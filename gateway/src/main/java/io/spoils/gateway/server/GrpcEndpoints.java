package io.spoils.gateway.server;

import io.spoils.feature.InvalidInputException;
import io.spoils.gateway.api.ProtoEncoder;
import io.spoils.gateway.ingest.DicomWebClient;
import io.spoils.gateway.pipeline.AnalysisControl;
import io.spoils.gateway.service.AnalysisService;
import io.spoils.gateway.service.Job;
import io.spoils.proto.v1.AnalysisEvent;
import io.spoils.proto.v1.AnalysisServiceProto;
import io.spoils.proto.v1.AnalyzeRequest;
import io.spoils.proto.v1.ListModelsRequest;
import io.spoils.proto.v1.ListModelsResponse;
import io.spoils.proto.v1.UploadRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.Service;

/**
 * {@code spoils.v1.AnalysisService} over gRPC: {@code Analyze} (events streamed as they are ready,
 * write-queue backpressure respected), {@code AnalyzeUpload} ({@link GrpcUpload}) and
 * {@code ListModels}; {@code grpc.health.v1.Health/Check} ({@link GrpcHealth}); server reflection
 * ({@link GrpcReflection}). Analyses follow the caller's deadline and cancellation
 * ({@link GrpcCall}). gRPC-Web ({@code application/grpc-web+proto} and
 * {@code application/grpc-web-text}, HTTP/1.1 or HTTP/2) is served by the same handlers: Vert.x's
 * GrpcServer enables every protocol by default, and {@link #create} keeps them all on.
 */
public final class GrpcEndpoints {

  static final ServiceName SERVICE = ServiceName.create("spoils.v1.AnalysisService");
  static final ServiceMethod<AnalyzeRequest, AnalysisEvent> ANALYZE = ServiceMethod.server(
      SERVICE, "Analyze", GrpcMessageEncoder.encoder(),
      new MalformedMessages<>(new AliasingDecoder<>(AnalyzeRequest.getDefaultInstance())));
  static final ServiceMethod<UploadRequest, AnalysisEvent> ANALYZE_UPLOAD = ServiceMethod.server(
      SERVICE, "AnalyzeUpload", GrpcMessageEncoder.encoder(),
      new MalformedMessages<>(GrpcMessageDecoder.decoder(UploadRequest.newBuilder())));
  static final ServiceMethod<ListModelsRequest, ListModelsResponse> LIST_MODELS =
      ServiceMethod.server(SERVICE, "ListModels", GrpcMessageEncoder.encoder(),
          GrpcMessageDecoder.decoder(ListModelsRequest.newBuilder()));

  private final AnalysisService service;
  private final GrpcJobs jobs;
  private final Uploads uploads;

  /** With its own client of the configured PACS. */
  public GrpcEndpoints(AnalysisService service) {
    this(service, SpoilsServer.dicomWeb(service));
  }

  /** @param dicomWeb fetches the PACS studies that requests name */
  public GrpcEndpoints(AnalysisService service, DicomWebClient dicomWeb) {
    this(service, dicomWeb, Uploads.defaults());
  }

  /** @param uploads the limits on requests still arriving, shared with HTTP */
  GrpcEndpoints(AnalysisService service, DicomWebClient dicomWeb, Uploads uploads) {
    this.service = service;
    this.jobs = new GrpcJobs(service.options(), dicomWeb);
    this.uploads = uploads;
  }

  /**
   * A gRPC server (a request handler for HTTP/2 and gRPC-Web requests) with every service; a call
   * answered before its request has arrived is reset with NO_ERROR ({@link GrpcStreamEnd}).
   */
  public GrpcServer create(Vertx vertx) {
    // headroom over the study limit for the request's other fields and the protobuf framing
    long maxMessage = service.options().maxUploadBytes() + 1024 * 1024;
    GrpcServer server = new GrpcStreamEnd(GrpcServer.server(vertx, new GrpcServerOptions()
        .setMaxMessageSize(maxMessage)));
    server.addService(Service.service(SERVICE,
            AnalysisServiceProto.getDescriptor().findServiceByName("AnalysisService"))
        .bind(ANALYZE, this::analyze)
        .bind(ANALYZE_UPLOAD, call -> new GrpcUpload(service, jobs, uploads, call).start())
        .bind(LIST_MODELS, call -> call.handler(m -> call.response()
            .end(ProtoEncoder.models(service.models()))))
        .build());
    new GrpcHealth(service).register(server);
    GrpcReflection.register(server);
    return server;
  }

  /**
   * Makes a message's {@code request_id} the request's id in the access and audit lines, when it
   * is valid ({@link RequestChecks#requestId}; an invalid one fails the job with its reason).
   */
  static void echoRequestId(io.vertx.core.MultiMap headers, boolean has, String id) {
    if (!has) {
      return;
    }
    try {
      RequestChecks.requestId(id);
      CallerHeaders.requestId(headers, id);
    } catch (RuntimeException e) {
      // left to GrpcJobs, which refuses it with the reason
    }
  }

  /**
   * Admission is decided from the call's headers ({@link AnalysisService#analyze(Future,
   * AnalysisControl, long, java.util.function.Consumer)}): a refused call is answered and reset
   * before its request message is read; an admitted call counts against the limits while the
   * message arrives and takes its analysis slot once it is in. The message must arrive within the
   * caller's deadline or the server's timeout, whichever is sooner, at the minimum upload rate and
   * within the upload budget ({@link UploadPace}); a request that ends without one is
   * INVALID_ARGUMENT at once.
   */
  private void analyze(GrpcServerRequest<AnalyzeRequest, AnalysisEvent> call) {
    GrpcCall grpc = new GrpcCall(service, uploads, call);
    Promise<Job> message = Promise.promise();
    call.handler(request -> {
      try {
        if (request == null) {
          throw MalformedMessages.invalid();
        }
        echoRequestId(call.headers(), request.hasRequestId(), request.getRequestId());
        message.tryComplete(jobs.job(request));
      } catch (RuntimeException e) {
        message.tryFail(e);
      }
    });
    // a request that ends without a whole message (none, or its last frame cut short) is
    // answered now, not when the arrival deadline passes with its slot held
    call.endHandler(v -> message.tryFail(new InvalidInputException("the request ended without "
        + "a complete AnalyzeRequest message")));
    grpc.run(RequestArrival.bounded(Vertx.currentContext().owner(), message.future(),
        RequestArrival.waitMillis(service, grpc.control()), grpc.control().cancellation(),
        "message", grpc.pace()));
  }
}
