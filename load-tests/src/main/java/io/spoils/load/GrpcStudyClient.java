package io.spoils.load;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.spoils.proto.v1.AnalysisEvent;
import io.spoils.proto.v1.AnalysisServiceGrpc;
import io.spoils.proto.v1.AnalyzeRequest;
import io.spoils.proto.v1.ClinicalScores;
import io.spoils.proto.v1.DicomFile;
import io.spoils.proto.v1.DicomFiles;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code spoils.v1.AnalysisService/Analyze} with grpc-java (Netty, h2c), the client most Java
 * callers use. Each study's {@code AnalyzeRequest} is serialised once up front, so a request costs
 * the client no encoding; calls go round robin over one channel (one HTTP/2 connection) per 100
 * concurrent requests, the streams a connection may carry at once.
 *
 * <p>Why not Vert.x's GrpcClient, which the gateway itself is built on: with it, every refusal the
 * server answers from the request headers (and then resets, so that the upload stops) costs its
 * connection a few RST_STREAM frames, and its HTTP/2 layer closes the connection after 200 of them
 * in 30 s (Netty's reset-flood guard, on in Vert.x 5.0.7's client with no option to change it),
 * failing every call on it. An overload run would then measure the client's guard, not the server.
 * Completions are handed to the caller's Vert.x context, so the driver stays single-threaded.
 */
final class GrpcStudyClient implements StudyClient {

  /** Streams one HTTP/2 connection carries at once (Vert.x's server default). */
  private static final int STREAMS_PER_CONNECTION = 100;

  /** Analyze with a pre-serialised request and decoded events. */
  static final MethodDescriptor<byte[], AnalysisEvent> ANALYZE =
      AnalysisServiceGrpc.getAnalyzeMethod().toBuilder(new BytesMarshaller(),
          ProtoUtils.marshaller(AnalysisEvent.getDefaultInstance())).build();

  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<byte[]> requests;
  private final long timeoutMs;
  private int next;

  GrpcStudyClient(Vertx vertx, LoadOptions options) {
    int connections = Math.max(1,
        (options.concurrency() + STREAMS_PER_CONNECTION - 1) / STREAMS_PER_CONNECTION);
    for (int i = 0; i < connections; i++) {
      channels.add(NettyChannelBuilder.forAddress(options.host(), options.port()).usePlaintext()
          .directExecutor().maxInboundMessageSize(16 * 1024 * 1024).build());
    }
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
    Context context = Vertx.currentContext();
    Promise<Outcome> done = Promise.promise();
    EventProbe probe = new EventProbe(startNanos);
    ManagedChannel channel = channels.get(next);
    next = (next + 1) % channels.size();
    ClientCalls.asyncServerStreamingCall(
        channel.newCall(ANALYZE, CallOptions.DEFAULT.withDeadlineAfter(timeoutMs,
            TimeUnit.MILLISECONDS)),
        requests.get(study), new StreamObserver<>() {
          @Override
          public void onNext(AnalysisEvent event) {
            probe.event(event);
          }

          @Override
          public void onError(Throwable t) {
            Outcome o = probe.failed(code(t));
            context.runOnContext(v -> done.tryComplete(o));
          }

          @Override
          public void onCompleted() {
            Outcome o = probe.ok();
            context.runOnContext(v -> done.tryComplete(o));
          }
        });
    return done.future();
  }

  /**
   * The gRPC status name a failed call carries, or {@code TRANSPORT} when the client could not
   * reach the server (grpc-java reports that as UNAVAILABLE with the socket's exception as cause,
   * which a server's own UNAVAILABLE, e.g. while draining, does not have).
   */
  static String code(Throwable failure) {
    Status status = Status.fromThrowable(failure);
    return status.getCode() == Status.Code.UNAVAILABLE && status.getCause() != null
        ? "TRANSPORT" : status.getCode().name();
  }

  @Override
  public Future<Void> close() {
    channels.forEach(ManagedChannel::shutdownNow);
    return Future.succeededFuture();
  }

  /** Sends pre-serialised messages as they are. */
  private static final class BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
