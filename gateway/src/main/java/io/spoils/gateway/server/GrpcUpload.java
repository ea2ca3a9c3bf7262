package io.spoils.gateway.server;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.spoils.feature.InvalidInputException;
import io.spoils.gateway.service.AnalysisService;
import io.spoils.gateway.service.Job;
import io.spoils.proto.v1.AnalysisEvent;
import io.spoils.proto.v1.FileChunk;
import io.spoils.proto.v1.UploadHeader;
import io.spoils.proto.v1.UploadRequest;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.grpc.server.GrpcServerRequest;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * One {@code AnalyzeUpload} call: receives the header and the files' chunks, enforcing the
 * server's limits as they arrive, then runs the same analysis as {@code Analyze} on the assembled
 * files (the same {@link Job}, built by {@link GrpcJobs}).
 *
 * <p>Limits (checked per message, so nothing beyond them is ever held): a repeated or missing
 * header, a chunk for a file outside {@code 0 .. expected_file_count - 1} or after its last chunk,
 * interleaved files, an empty chunk that is not a last chunk, or a file count that does not match
 * at half-close end the call with INVALID_ARGUMENT; more files than {@code maxFiles} or more bytes
 * (all files together) than {@code maxUploadBytes} with RESOURCE_EXHAUSTED, as for
 * {@code Analyze}. After such an answer the rest of the stream is dropped unread.
 *
 * <p>Flow control: each chunk is kept on the event loop as it arrives (no copy, no blocking), so
 * Vert.x hands back HTTP/2 flow-control credit at the pace the server actually consumes; the
 * request is never read ahead of that. Admission is decided at the header: a full server refuses
 * there, before any file is received; an admitted upload counts against the limits while its files
 * arrive (within the caller's deadline or the server's timeout, at the minimum upload rate, within
 * the upload budget) and takes its analysis slot once they are in. Not thread-safe: runs on the
 * call's context.
 */
final class GrpcUpload {

  private final AnalysisService service;
  private final GrpcJobs jobs;
  private final GrpcServerRequest<UploadRequest, AnalysisEvent> call;
  private final GrpcCall grpc;
  private UploadHeader header;
  /** Per file, its chunks' bytes as received (joined without copying at the end). */
  private List<ByteString>[] files;
  private BitSet complete;
  /** The file whose chunks are arriving, or -1 between files. */
  private int open = -1;
  private long bytes;
  private boolean stopped;
  /** The job, completed at half-close; exists once the header took an admission slot. */
  private Promise<Job> arrival;

  GrpcUpload(AnalysisService service, GrpcJobs jobs, Uploads uploads,
      GrpcServerRequest<UploadRequest, AnalysisEvent> call) {
    this.service = service;
    this.jobs = jobs;
    this.call = call;
    this.grpc = new GrpcCall(service, uploads, call);
  }

  void start() {
    call.handler(this::message);
    call.endHandler(v -> end());
  }

  private void message(UploadRequest message) {
    if (stopped || grpc.closed()) {
      return;
    }
    try {
      if (message == null) {
        throw MalformedMessages.invalid();
      }
      switch (message.getPartCase()) {
        case HEADER -> header(message.getHeader());
        case CHUNK -> chunk(message.getChunk());
        default -> throw new InvalidInputException("an UploadRequest must carry a header or a "
            + "chunk");
      }
    } catch (RuntimeException e) {
      stop(e);
    }
  }

  private void header(UploadHeader h) {
    if (header != null) {
      throw new InvalidInputException("the upload header was sent twice");
    }
    // uint32: 4294967295 is too many files, not -1
    long count = Integer.toUnsignedLong(h.getExpectedFileCount());
    if (count == 0) {
      throw new InvalidInputException("expected_file_count must be at least 1");
    }
    RequestChecks.fileCount(count, service.options().maxFiles());
    if (service.admission().saturated()) {
      throw AnalysisService.busy();
    }
    header = h;
    GrpcEndpoints.echoRequestId(call.headers(), h.hasRequestId(), h.getRequestId());
    @SuppressWarnings("unchecked")
    List<ByteString>[] lists = new List[(int) count];
    files = lists;
    complete = new BitSet(files.length);
    // admission is decided now; the slot is taken once the files are in, like Analyze's
    arrival = Promise.promise();
    grpc.run(RequestArrival.bounded(Vertx.currentContext().owner(), arrival.future(),
        RequestArrival.waitMillis(service, grpc.control()), grpc.control().cancellation(),
        "upload", grpc.pace()));
  }

  private void chunk(FileChunk c) {
    if (header == null) {
      throw new InvalidInputException("the first message of an upload must be its header");
    }
    long index = Integer.toUnsignedLong(c.getFileIndex());
    if (index >= files.length) {
      throw new InvalidInputException("file_index " + index + " is outside 0.."
          + (files.length - 1) + " (expected_file_count " + files.length + ")");
    }
    int i = (int) index;
    if (complete.get(i)) {
      throw new InvalidInputException("a chunk of file " + i + " came after its last chunk");
    }
    if (open >= 0 && open != i) {
      throw new InvalidInputException("chunks of files " + open + " and " + i + " interleave: "
          + "send each file's chunks one after another");
    }
    if (c.getData().isEmpty() && !c.getLastChunk()) {
      throw new InvalidInputException("an empty chunk is allowed only as a file's last chunk");
    }
    bytes += c.getData().size();
    RequestChecks.bytes(bytes, service.options().maxUploadBytes());
    if (files[i] == null) {
      files[i] = new ArrayList<>();
    }
    files[i].add(c.getData());
    if (c.getLastChunk()) {
      complete.set(i);
      open = -1;
    } else {
      open = i;
    }
  }

  private void end() {
    if (stopped || grpc.closed()) {
      return;
    }
    Job job;
    try {
      if (header == null) {
        throw new InvalidInputException("the upload ended without a header");
      }
      if (complete.cardinality() != files.length) {
        throw new InvalidInputException("the upload ended with " + complete.cardinality() + " of "
            + files.length + " files complete (each file ends with a last_chunk)");
      }
      job = jobs.job(header, joinedFiles());
    } catch (RuntimeException e) {
      stop(e);
      return;
    }
    arrival.tryComplete(job);
  }

  /**
   * The files in index order. A file of several chunks is joined into one array once (the decoder
   * reads one buffer); a file of one chunk is handed over as it came.
   */
  private List<ByteString> joinedFiles() {
    List<ByteString> out = new ArrayList<>(files.length);
    for (int i = 0; i < files.length; i++) {
      out.add(joined(files[i]));
      files[i] = null;
    }
    return out;
  }

  private static ByteString joined(List<ByteString> chunks) {
    if (chunks.size() == 1) {
      return chunks.get(0);
    }
    int size = 0;
    for (ByteString c : chunks) {
      size = Math.addExact(size, c.size());
    }
    byte[] out = new byte[size];
    int at = 0;
    for (ByteString c : chunks) {
      c.copyTo(out, at);
      at += c.size();
    }
    chunks.clear();
    return UnsafeByteOperations.unsafeWrap(out);
  }

  private void stop(RuntimeException failure) {
    stopped = true;
    files = null;
    if (arrival != null) {
      // the admitted call's run answers with this failure and releases its slot
      arrival.tryFail(failure);
    } else {
      grpc.fail(failure);
    }
  }
}
