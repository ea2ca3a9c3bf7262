package io.spoils.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.proto.v1.AnalysisEvent;
import io.spoils.proto.v1.AnalysisServiceGrpc;
import io.spoils.proto.v1.ClinicalScores;
import io.spoils.proto.v1.FileChunk;
import io.spoils.proto.v1.UploadHeader;
import io.spoils.proto.v1.UploadRequest;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code AnalyzeUpload} over a real socket with a grpc-java client. */
class GrpcUploadTest extends GatedServerTestBase {

  private static final int CHUNK = 64 * 1024;

  /** Collects a call's events and its outcome. */
  static final class Events implements StreamObserver<AnalysisEvent> {
    final List<AnalysisEvent> events = new ArrayList<>();
    final CompletableFuture<List<AnalysisEvent>> done = new CompletableFuture<>();

    @Override
    public synchronized void onNext(AnalysisEvent e) {
      events.add(e);
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public synchronized void onCompleted() {
      done.complete(List.copyOf(events));
    }

    /** The call's status (OK when it completed), within 30 s. */
    Status status() throws Exception {
      try {
        done.get(30, TimeUnit.SECONDS);
        return Status.OK;
      } catch (ExecutionException e) {
        return ((StatusRuntimeException) e.getCause()).getStatus();
      }
    }
  }

  static UploadRequest header(int files) {
    return UploadRequest.newBuilder().setHeader(UploadHeader.newBuilder()
        .setScores(ClinicalScores.newBuilder().setOdiPercent(45).setNrs(7))
        .setExpectedFileCount(files)).build();
  }

  static UploadRequest chunk(int file, byte[] data, boolean last) {
    return UploadRequest.newBuilder().setChunk(FileChunk.newBuilder().setFileIndex(file)
        .setData(ByteString.copyFrom(data)).setLastChunk(last)).build();
  }

  /** The event without what differs between two runs of one study (id, clock, timings). */
  static AnalysisEvent comparable(AnalysisEvent e) {
    AnalysisEvent.Builder b = e.toBuilder().clearAnalysisId().clearElapsedMs();
    if (b.hasSummary()) {
      b.getSummaryBuilder().clearTimings();
    }
    return b.build();
  }

  @Test
  void analyzeUpload_chunkedFile_sameEventsAsAnalyze(Vertx vertx) throws Exception {
    server = GatedServer.start(vertx, trees);
    List<AnalysisEvent> direct = new ArrayList<>();
    AnalysisServiceGrpc.newBlockingStub(server.channel).withDeadlineAfter(60, TimeUnit.SECONDS)
        .analyze(GatedServer.request(slice)).forEachRemaining(e -> direct.add(comparable(e)));
    Events upload = new Events();
    StreamObserver<UploadRequest> out = AnalysisServiceGrpc.newStub(server.channel)
        .withDeadlineAfter(60, TimeUnit.SECONDS).analyzeUpload(upload);
    out.onNext(header(1));
    int chunks = 0;
    for (int from = 0; from < slice.length; from += CHUNK) {
      int to = Math.min(slice.length, from + CHUNK);
      out.onNext(chunk(0, java.util.Arrays.copyOfRange(slice, from, to), to == slice.length));
      chunks++;
    }
    out.onCompleted();
    assertTrue(chunks > 5, "the example spans several chunks");
    assertEquals(Status.Code.OK, upload.status().getCode());
    List<AnalysisEvent> uploaded = upload.done.get().stream().map(GrpcUploadTest::comparable)
        .toList();
    assertTrue(uploaded.get(uploaded.size() - 1).hasSummary());
    assertEquals(direct, uploaded);
  }

  static Stream<Arguments> violations() {
    byte[] small = new byte[10];
    byte[] big = new byte[600];
    Status.Code invalid = Status.Code.INVALID_ARGUMENT;
    Status.Code exhausted = Status.Code.RESOURCE_EXHAUSTED;
    return Stream.of(
        Arguments.of("chunk before header", List.of(chunk(0, small, true)), false, invalid,
            "header"),
        Arguments.of("header twice", List.of(header(1), header(1)), false, invalid, "twice"),
        Arguments.of("no file announced", List.of(header(0)), false, invalid,
            "expected_file_count"),
        Arguments.of("file index outside", List.of(header(1), chunk(1, small, true)), false,
            invalid, "outside"),
        Arguments.of("chunk after last chunk", List.of(header(2), chunk(0, small, true),
            chunk(0, small, true)), false, invalid, "after its last chunk"),
        Arguments.of("interleaved files", List.of(header(2), chunk(0, small, false),
            chunk(1, small, false)), false, invalid, "interleave"),
        Arguments.of("empty middle chunk", List.of(header(1), chunk(0, new byte[0], false)),
            false, invalid, "empty"),
        Arguments.of("too few files at half-close", List.of(header(2), chunk(0, small, true)),
            true, invalid, "1 of 2"),
        Arguments.of("unfinished file at half-close", List.of(header(1), chunk(0, small, false)),
            true, invalid, "0 of 1"),
        Arguments.of("nothing at all", List.of(), true, invalid, "without a header"),
        Arguments.of("more files than maxFiles", List.of(header(4)), false, exhausted,
            "at most 3"),
        Arguments.of("more bytes than maxUploadBytes", List.of(header(1), chunk(0, big, false),
            chunk(0, big, false)), false, exhausted, "1000-byte limit"));
  }

  /**
   * Each violation is answered as soon as it arrives: the mid-stream cases never half-close, so
   * a server that waited for the end would hang the test.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("violations")
  void analyzeUpload_violation_answeredAtOnce(String name, List<UploadRequest> messages,
      boolean halfClose, Status.Code code, String reason, Vertx vertx) throws Exception {
    server = GatedServer.start(vertx, trees, new ServerOptions("127.0.0.1", 0, 1, 0, 1000, 3,
        60, 2));
    Events events = new Events();
    StreamObserver<UploadRequest> out = AnalysisServiceGrpc.newStub(server.channel)
        .withDeadlineAfter(60, TimeUnit.SECONDS).analyzeUpload(events);
    messages.forEach(out::onNext);
    if (halfClose) {
      out.onCompleted();
    }
    Status status = events.status();
    assertEquals(code, status.getCode(), status.toString());
    assertTrue(status.getDescription().contains(reason), status.getDescription());
    assertEquals(0, server.backend.calls.size(), "no analysis ran");
    assertTrue(GatedServer.eventually(() -> server.service.admission().inFlight() == 0));
  }
}
