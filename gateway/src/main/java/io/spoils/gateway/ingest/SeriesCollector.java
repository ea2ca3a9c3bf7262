package io.spoils.gateway.ingest;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.spoils.gateway.api.ProtoEncoder;
import io.spoils.gateway.failure.AnalysisException;
import io.spoils.gateway.failure.FailureCode;
import io.spoils.gateway.pipeline.AnalysisRequest;
import io.spoils.gateway.pipeline.PipelineOptions;
import io.spoils.gateway.service.AnalysisService;
import io.spoils.gateway.service.AuditLog;
import io.spoils.gateway.service.Caller;
import io.spoils.gateway.service.Job;
import io.spoils.gateway.service.StudySource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Groups the instances the C-STORE listener receives into series (by StudyInstanceUID and
 * SeriesInstanceUID), each in its own temporary folder, within limits: a series beyond the
 * server's file or byte limit, or an instance that would overfill the temporary area, is discarded
 * and the series reported FAILED. A series is complete once no association is sending to it and it
 * has been idle for {@code idle}; {@link #sweep()} then analyses it through the
 * {@link AnalysisService} (admission applies; the files are read, on a worker thread, only once the
 * analysis is admitted) and deletes its files whatever the outcome. Thread-safe: associations call
 * in from their own threads, {@link #sweep()} runs on a Vert.x context.
 */
final class SeriesCollector {

  /** One association's view: the series it has sent to, released together when it ends. */
  final class Association {
    private final Set<Pending> touched = new HashSet<>();

    /** The calling AE title (printable, at most 16 characters), once known. */
    private String callingAe;

    /**
     * Files one received instance (PixelMed has written it to {@code file}).
     *
     * @param callingAe the sender's AE title, for the audit line
     */
    void received(Path file, String callingAe) {
      if (callingAe != null) {
        this.callingAe = callingAe.strip().replaceAll("[^\\x20-\\x7E]", "?");
      }
      SeriesCollector.this.received(this, file);
    }

    /** The association ended (released or aborted): its series may now go idle. Idempotent. */
    void ended() {
      synchronized (SeriesCollector.this) {
        long now = System.nanoTime();
        for (Pending p : touched) {
          p.openAssociations--;
          p.lastNanos = now;
        }
        touched.clear();
      }
    }
  }

  /** A series being received. Guarded by the collector's lock. */
  private static final class Pending {
    final String id;
    final Path dir;
    final List<Path> files = new ArrayList<>();
    final List<Long> sizes = new ArrayList<>();
    long bytes;
    int openAssociations;
    long lastNanos = System.nanoTime();
    /** When its first instance arrived, for the audit line's duration. */
    final long firstNanos = lastNanos;
    String rejected;
    /** The first sender's AE title, for the audit line; null when unknown. */
    String callingAe;

    Pending(String id, Path dir) {
      this.id = id;
      this.dir = dir;
    }
  }

  private final Vertx vertx;
  private final AnalysisService service;
  private final ReceivedAnalyses store;
  private final Path root;
  private final long maxTempBytes;
  private final Duration idle;
  private final Map<String, Pending> pending = new HashMap<>();
  private final AtomicLong tempBytes = new AtomicLong();
  private final Counter received;
  private final MeterRegistry registry;

  /**
   * @param root the temporary folder series are collected in (owned by the caller)
   * @param maxTempBytes bytes of received files on disk at most, all series together
   * @param idle how long a series with no open association waits for more instances
   */
  SeriesCollector(Vertx vertx, AnalysisService service, ReceivedAnalyses store, Path root,
      long maxTempBytes, Duration idle) {
    this.vertx = vertx;
    this.service = service;
    this.store = store;
    this.root = root;
    this.maxTempBytes = maxTempBytes;
    this.idle = idle;
    this.registry = service.metrics().registry();
    this.received = Counter.builder("spoils.dicom.received")
        .description("DICOM instances received by the C-STORE listener").register(registry);
    Gauge.builder("spoils.dicom.temp.bytes", tempBytes::get).baseUnit("bytes")
        .description("Bytes of received DICOM files waiting on disk").register(registry);
  }

  Association association() {
    return new Association();
  }

  private void received(Association a, Path file) {
    received.increment();
    String key = seriesKey(file);
    long size = sizeOf(file);
    synchronized (this) {
      Pending p = pending.get(key);
      if (p == null) {
        String id = store.open();
        p = new Pending(id, root.resolve("series-" + id));
        pending.put(key, p);
      }
      if (p.callingAe == null) {
        p.callingAe = a.callingAe;
      }
      if (a.touched.add(p)) {
        p.openAssociations++;
      }
      p.lastNanos = System.nanoTime();
      store.fileReceived(p.id);
      accept(p, file, size);
    }
  }

  /** Keeps {@code file} in {@code p}'s folder, or discards it (and maybe the series) for limits. */
  private void accept(Pending p, Path file, long size) {
    long maxBytes = service.options().maxUploadBytes();
    int maxFiles = service.options().maxFiles();
    String reason = "rejected_series";
    if (p.rejected == null && (p.files.size() + 1 > maxFiles || p.bytes + size > maxBytes)) {
      p.rejected = p.files.size() + 1 > maxFiles
          ? "the series has more than " + maxFiles + " files; this server accepts at most "
              + maxFiles
          : "the series is larger than this server's " + maxBytes + "-byte limit";
      reason = "too_large";
      discardFiles(p);
    } else if (p.rejected == null && tempBytes.get() + size > maxTempBytes) {
      p.rejected = "the listener's temporary area (" + maxTempBytes + " bytes) is full; resend "
          + "the series later";
      reason = "temp_full";
      discardFiles(p);
    }
    if (p.rejected != null) {
      discarded(reason);
      delete(file);
      return;
    }
    try {
      Files.createDirectories(p.dir);
      Path target = p.dir.resolve("instance-" + (p.files.size() + 1) + ".dcm");
      Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
      p.files.add(target);
      p.sizes.add(size);
      p.bytes += size;
      tempBytes.addAndGet(size);
    } catch (IOException e) {
      p.rejected = "the listener could not keep a received file (" + e.getClass().getSimpleName()
          + ")";
      discardFiles(p);
      delete(file);
    }
  }

  private void discarded(String reason) {
    Counter.builder("spoils.dicom.discarded")
        .description("Received DICOM instances discarded for the listener's limits")
        .tag("reason", reason).register(registry).increment();
  }

  /** Starts the analysis of every complete series; call periodically on a Vert.x context. */
  void sweep() {
    List<Pending> due = new ArrayList<>();
    synchronized (this) {
      long now = System.nanoTime();
      pending.values().removeIf(p -> {
        boolean ready = p.openAssociations == 0 && now - p.lastNanos >= idle.toNanos();
        if (ready) {
          due.add(p);
        }
        return ready;
      });
    }
    due.forEach(this::analyse);
  }

  private void analyse(Pending p) {
    Caller caller = new Caller("dicom:c-store", p.id,
        Optional.ofNullable(p.callingAe).map(ae -> "ae:" + ae));
    if (p.rejected != null) {
      AnalysisException tooLarge = new AnalysisException(FailureCode.TOO_LARGE, p.rejected);
      AuditLog.outcome(caller, null, tooLarge, p.firstNanos, 0);
      finished(p.id, Future.failedFuture(tooLarge));
      return;
    }
    store.analysing(p.id);
    StudySource source = deadline -> vertx.executeBlocking(() -> read(p), false);
    Job job = Job.deferred(source, false,
        PipelineOptions.DEFAULT_MAX_CONTRIBUTIONS);
    Future<Void> run;
    try {
      run = service.analyze(job, caller, ProtoEncoder.FORMAT, e -> store.event(p.id, e));
    } catch (RuntimeException e) {
      run = Future.failedFuture(e);
    }
    run.onComplete(ar -> vertx.executeBlocking(() -> {
      synchronized (this) {
        discardFiles(p);
      }
      return null;
    }, false).onComplete(v -> finished(p.id, ar.succeeded() ? Future.succeededFuture()
        : Future.failedFuture(ar.cause()))));
  }

  private void finished(String id, Future<Void> outcome) {
    if (outcome.succeeded()) {
      store.done(id);
    } else {
      store.failed(id, service.failed(outcome.cause()));
    }
    Counter.builder("spoils.dicom.series")
        .description("Series received by the C-STORE listener, by how their analysis ended")
        .tag("outcome", outcome.succeeded() ? "done" : "failed").register(registry).increment();
  }

  /** The series's files as an imaging-only request; the files are deleted once read. */
  private AnalysisRequest read(Pending p) throws IOException {
    List<Path> files;
    synchronized (this) {
      files = List.copyOf(p.files);
    }
    List<AnalysisRequest.DicomInput> inputs = new ArrayList<>(files.size());
    for (int i = 0; i < files.size(); i++) {
      inputs.add(new AnalysisRequest.DicomInput("instance " + (i + 1),
          Files.readAllBytes(files.get(i))));
    }
    synchronized (this) {
      discardFiles(p);
    }
    return new AnalysisRequest(inputs, Optional.empty());
  }

  /** Deletes {@code p}'s kept files and folder (idempotent); caller holds the lock. */
  private void discardFiles(Pending p) {
    for (int i = 0; i < p.files.size(); i++) {
      delete(p.files.get(i));
      tempBytes.addAndGet(-p.sizes.get(i));
    }
    p.files.clear();
    p.sizes.clear();
    p.bytes = 0;
    delete(p.dir);
  }

  private static String seriesKey(Path file) {
    try {
      AttributeList header = new AttributeList();
      header.read(file.toString(), TagFromName.PixelData);
      return Attribute.getSingleStringValueOrEmptyString(header, TagFromName.StudyInstanceUID) + "|"
          + Attribute.getSingleStringValueOrEmptyString(header, TagFromName.SeriesInstanceUID);
    } catch (Exception e) {
      // unreadable: its own series, whose analysis will then name the problem
      return "unreadable|" + file.getFileName();
    }
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  static void delete(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // a leftover temp file is removed with the listener's folder at shutdown
    }
  }
}
