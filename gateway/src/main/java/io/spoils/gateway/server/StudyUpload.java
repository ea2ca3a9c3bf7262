package io.spoils.gateway.server;

import io.spoils.feature.InvalidInputException;
import io.spoils.gateway.failure.AnalysisException;
import io.spoils.gateway.failure.FailureCode;
import io.spoils.gateway.pipeline.AnalysisRequest;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Receives the study of one {@code POST /v1/analyses} into memory, within the server's limits:
 * either the whole body as one DICOM file ({@code application/dicom}), or the file parts of a
 * {@code multipart/form-data} body as a series, with the form fields beside them.
 *
 * <p>Files stay in memory rather than in temporary files: a study is at most
 * {@code maxUploadBytes} (64 MiB by default) and is decoded from memory at once, so disk would only
 * add I/O and clean-up. Each chunk is counted as it arrives, into the study's limit and into the
 * server's {@link UploadBudget} (whose hold the caller releases when the analysis ends), and the
 * upload fails as soon as the byte or file limit or the budget is passed, so at most
 * {@code maxUploadBytes} plus one network chunk is ever held. A file's chunks are kept as they came
 * and joined once at the end (no growing buffer copied at each step). Not thread-safe: use it on
 * the request's context.
 */
final class StudyUpload {

  /** Form fields a multipart request may carry beside its files (also accepted as query). */
  /** The longest multipart boundary (RFC 2046 section 5.1.1). */
  static final int MAX_BOUNDARY = 70;
  static final Set<String> FIELDS = Set.of("odi", "nrs", "include_mask", "max_contributions",
      "compute_volume", "store_results");

  /**
   * What was received.
   *
   * @param files the DICOM files in arrival order, at least one
   * @param form the multipart form fields (empty for a single DICOM body)
   */
  record Received(List<AnalysisRequest.DicomInput> files, MultiMap form) { }

  private final HttpServerRequest req;
  private final long maxBytes;
  private final int maxFiles;
  private final Promise<Received> result = Promise.promise();
  private final UploadBudget.Hold hold;
  /** Per file, its chunks as they came. */
  private final List<List<Buffer>> files = new ArrayList<>();
  private long bytes;

  private StudyUpload(HttpServerRequest req, long maxBytes, int maxFiles,
      UploadBudget.Hold hold) {
    this.req = req;
    this.maxBytes = maxBytes;
    this.maxFiles = maxFiles;
    this.hold = hold;
  }

  /**
   * The whole body as one DICOM file of at most {@code maxBytes} bytes, counted into
   * {@code hold}.
   */
  static Future<Received> dicom(HttpServerRequest req, long maxBytes, UploadBudget.Hold hold) {
    StudyUpload u = new StudyUpload(req, maxBytes, 1, hold);
    List<Buffer> body = u.newFile();
    req.handler(chunk -> u.append(body, chunk));
    req.exceptionHandler(u::broken);
    req.endHandler(v -> u.complete(MultiMap.caseInsensitiveMultiMap()));
    return u.result.future();
  }

  /**
   * The file parts of a multipart body (any field name; a part is a file when it has a filename),
   * at most {@code maxFiles} files and {@code maxBytes} bytes over all of them, counted into
   * {@code hold}.
   */
  static Future<Received> multipart(HttpServerRequest req, long maxBytes, int maxFiles,
      UploadBudget.Hold hold) {
    StudyUpload u = new StudyUpload(req, maxBytes, maxFiles, hold);
    MultipartClose close = MultipartClose.of(req.getHeader("Content-Type"));
    if (close == null) {
      // Vert.x's decoder fails such a body with an exception of its own
      return Future.failedFuture(new InvalidInputException("multipart/form-data needs its "
          + "boundary parameter, e.g. Content-Type: multipart/form-data; boundary=x1y2"));
    }
    if (MultipartClose.boundary(req.getHeader("Content-Type")).length() > MAX_BOUNDARY) {
      return Future.failedFuture(new InvalidInputException("the multipart boundary is longer "
          + "than " + MAX_BOUNDARY + " characters (RFC 2046)"));
    }
    try {
      req.setExpectMultipart(true);
    } catch (RuntimeException e) {
      // Netty's decoder refuses a Content-Type it cannot parse here, with its own exception
      u.broken(e);
      return u.result.future();
    }
    req.uploadHandler(u::part);
    req.exceptionHandler(u::broken);
    // the raw body too (Vert.x feeds its decoder and this handler): to see the close delimiter
    req.handler(close::feed);
    req.endHandler(v -> {
      if (!close.closed()) {
        u.fail(new InvalidInputException("the multipart body ended without its closing boundary "
            + "(--boundary--): it may have been cut short, so nothing of it is analysed"));
        return;
      }
      u.complete(req.formAttributes());
    });
    return u.result.future();
  }

  private void part(HttpServerFileUpload upload) {
    if (files.size() >= maxFiles) {
      fail(new AnalysisException(FailureCode.TOO_LARGE, "the study has more than " + maxFiles
          + " files; this server accepts at most " + maxFiles));
      return;
    }
    List<Buffer> content = newFile();
    upload.handler(chunk -> append(content, chunk));
    upload.exceptionHandler(this::broken);
  }

  private List<Buffer> newFile() {
    List<Buffer> chunks = new ArrayList<>();
    files.add(chunks);
    return chunks;
  }

  private void append(List<Buffer> file, Buffer chunk) {
    if (result.future().isComplete()) {
      return;
    }
    bytes += chunk.length();
    if (bytes > maxBytes) {
      fail(new AnalysisException(FailureCode.TOO_LARGE, "the study is larger than this server's "
          + maxBytes + "-byte limit"));
      return;
    }
    try {
      hold.take(chunk.length());
    } catch (RuntimeException e) {
      fail(e);
      return;
    }
    if (hold.released()) {
      // the request was answered already (too slow, cancelled): keep nothing more
      fail(new AnalysisException(FailureCode.REQUEST_TIMEOUT, "the request ended before its body "
          + "arrived"));
      return;
    }
    file.add(chunk);
  }

  private void broken(Throwable cause) {
    // nothing of the cause: the decoder's message may quote the body, and a Java class name
    // tells the caller nothing
    fail(new InvalidInputException("the request body could not be read; a multipart body needs "
        + "a boundary, file parts with a filename, form fields of at most a few kilobytes, and "
        + "its closing boundary"));
  }

  private void complete(MultiMap form) {
    if (result.future().isComplete()) {
      return;
    }
    if (files.isEmpty()) {
      fail(new InvalidInputException("no DICOM file part in the multipart body: send each file "
          + "as a file part, e.g. curl -F file=@slice.dcm"));
      return;
    }
    for (String name : form.names()) {
      if (!FIELDS.contains(name)) {
        fail(new InvalidInputException("unknown form field '" + printable(name)
            + "'; the fields are " + String.join(", ", FIELDS.stream().sorted().toList())));
        return;
      }
    }
    List<AnalysisRequest.DicomInput> inputs = new ArrayList<>(files.size());
    for (int i = 0; i < files.size(); i++) {
      // numbered, never the client's file name: names can carry patient data into warnings
      String name = files.size() == 1 ? "body" : "part " + (i + 1);
      inputs.add(new AnalysisRequest.DicomInput(name, joined(files.get(i))));
    }
    files.clear();
    result.complete(new Received(inputs, form));
  }

  private void fail(RuntimeException failure) {
    files.clear();
    result.tryFail(failure);
  }

  /** A file's chunks as one array (the one copy of its bytes). */
  private static byte[] joined(List<Buffer> chunks) {
    int size = 0;
    for (Buffer c : chunks) {
      size = Math.addExact(size, c.length());
    }
    byte[] out = new byte[size];
    int at = 0;
    for (Buffer c : chunks) {
      c.getBytes(out, at);
      at += c.length();
    }
    chunks.clear();
    return out;
  }

  /** At most 40 printable ASCII characters of a client string, for an error message. */
  private static String printable(String s) {
    String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
    return cut.replaceAll("[^\\x20-\\x7E]", "?");
  }
}
