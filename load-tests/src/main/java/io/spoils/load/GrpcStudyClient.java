package io.spoils.load;

import com.google.protobuf.ByteString;
import io.spoils.proto.v1.AnalysisEvent;
import io.spoils.proto.v1.AnalyzeRequest;
import io.spoils.proto.v1.ClinicalScores;
import io.spoils.proto.v1.DicomFile;
import io.spoils.proto.v1.DicomFiles;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.GrpcErrorException;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code spoils.v1.AnalysisService/Analyze} over h2c with the Vert.x gRPC client. Each study's
 * {@code AnalyzeRequest} is serialised once up front, so a request costs the client no encoding.
 */
final class GrpcStudyClient implements StudyClient {

  /** Analyze with a pre-serialised request body and decoded events. */
  static final ServiceMethod<AnalysisEvent, Buffer> ANALYZE = ServiceMethod.client(
      ServiceName.create("spoils.v1", "AnalysisService"), "Analyze", GrpcMessageEncoder.IDENTITY,
      GrpcMessageDecoder.decoder(AnalysisEvent.getDefaultInstance()));
  /** Streams one HTTP/2 connection carries before the pool opens another (Vert.x's default cap). */
  private static final int STREAMS_PER_CONNECTION = 100;

  private final HttpClient http;
  private final GrpcClient client;
  private final SocketAddress address;
  private final List<byte[]> requests;
  private final long timeoutMs;

  GrpcStudyClient(Vertx vertx, LoadOptions options) {
    this.address = SocketAddress.inetSocketAddress(options.port(), options.host());
    this.http = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
            .setHttp2ClearTextUpgrade(false).setConnectTimeout(10_000))
        .with(new PoolOptions().setHttp2MaxSize(
            Math.max(1, (options.concurrency() + STREAMS_PER_CONNECTION - 1) / STREAMS_PER_CONNECTION)))
        .build();
    this.client = GrpcClient.client(vertx, http);
    this.requests = options.studies().stream().map(s -> request(s, options).toByteArray()).toList();
    this.timeoutMs = options.timeout().toMillis();
  }

  /** The request for {@code study} with the options' scores. */
  static AnalyzeRequest request(Study study, LoadOptions options) {
    DicomFiles.Builder files = DicomFiles.newBuilder();
    for (Study.File f : study.files()) {
      files.addFiles(DicomFile.newBuilder().setName(f.name())
          .setContent(ByteString.copyFrom(f.content())));
    }
    AnalyzeRequest.Builder b = AnalyzeRequest.newBuilder().setFiles(files);
    if (options.odi().isPresent() || options.nrs().isPresent()) {
      ClinicalScores.Builder scores = ClinicalScores.newBuilder();
      options.odi().ifPresent(scores::setOdiPercent);
      options.nrs().ifPresent(scores::setNrs);
      b.setScores(scores);
    }
    return b.build();
  }

  @Override
  public Future<Outcome> analyze(int study, long startNanos) {
    EventProbe probe = new EventProbe(startNanos);
    Promise<Outcome> done = Promise.promise();
    client.request(address, ANALYZE).compose(req -> {
      req.timeout(timeoutMs, TimeUnit.MILLISECONDS);
      return req.send(Buffer.buffer(requests.get(study)));
    }).onComplete(ar -> {
      if (ar.failed()) {
        done.tryComplete(probe.failed(code(ar.cause())));
        return;
      }
      GrpcClientResponse<Buffer, AnalysisEvent> resp = ar.result();
      resp.handler(probe::event);
      resp.end().onComplete(end -> {
        GrpcStatus status = resp.status();
        if (end.succeeded() && (status == null || status == GrpcStatus.OK)) {
          done.tryComplete(probe.ok());
        } else {
          done.tryComplete(probe.failed(status != null ? status.name() : code(end.cause())));
        }
      });
    });
    return done.future();
  }

  /** The gRPC status a failure carries, else {@code TRANSPORT}. */
  static String code(Throwable failure) {
    if (failure instanceof InvalidStatusException e) {
      return e.actualStatus().name();
    }
    if (failure instanceof GrpcErrorException e) {
      return e.status().name();
    }
    return "TRANSPORT";
  }

  @Override
  public Future<Void> close() {
    return client.close().compose(v -> http.close());
  }
}
