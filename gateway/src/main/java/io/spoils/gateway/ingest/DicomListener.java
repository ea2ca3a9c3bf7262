package io.spoils.gateway.ingest;

import com.pixelmed.dicom.StoredFilePathStrategy;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.AssociationStatusHandler;
import com.pixelmed.network.ReceivedObjectHandler;
import com.pixelmed.network.StorageSOPClassSCP;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.config.TlsOptions;
import io.spoils.gateway.service.AnalysisService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The DICOM C-STORE listener (storage SCP) of {@code spoils serve}, on when
 * {@code SPOILS_DICOM_PORT} is set: accepts MR image storage and verification
 * ({@link MrStoragePolicy}) under the AE title {@code SPOILS_DICOM_AE}, collects received instances
 * by series in a temporary folder ({@link SeriesCollector}) and analyses each complete series
 * through the {@link AnalysisService}; results go to {@link ReceivedAnalyses}. PixelMed's blocking
 * network code runs on the listener's own threads (one accepting, at most
 * {@value #MAX_ASSOCIATIONS} associations at once); analyses start on a Vert.x context. With
 * {@code dicomAllowedCallers} set, an association whose calling AE title (and host) is not listed
 * is rejected before PixelMed reads it ({@link CallerPolicy}), and logged with that title and the
 * peer's address only. With {@code dicomTls}, the port speaks DICOM TLS ({@link DicomTls}).
 */
public final class DicomListener {

  /** Associations served at once; further connections wait in a short queue, then are closed. */
  public static final int MAX_ASSOCIATIONS = 8;
  /**
   * How long a series with no open association waits for more instances before its analysis.
   * PixelMed reports a release only after its 5 s ARTIM wait, so a series is analysed about 6 s
   * after its sender released the association; a new association for the same series within that
   * time joins it.
   */
  public static final Duration SERIES_IDLE = Duration.ofSeconds(1);
  /** An association silent for this long is dropped. */
  public static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);

  private static final Logger LOG = Logger.getLogger(DicomListener.class.getName());
  /**
   * PixelMed logs network errors with stack traces that may quote file names (SOP Instance UIDs)
   * or attribute values; it is silenced as the DICOM reader silences it, and failures are reported
   * by class name here instead. The strong reference keeps java.util.logging from dropping it.
   */
  private static final Logger PIXELMED_LOG = Logger.getLogger("com.pixelmed");

  static {
    PIXELMED_LOG.setLevel(Level.OFF);
  }
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final Vertx vertx;
  private final ServerSocket socket;
  private final Path root;
  private final String aeTitle;
  private final SeriesCollector collector;
  private final CallerPolicy callers;
  private final ThreadPoolExecutor associations;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final long sweepTimer;
  private volatile boolean closed;

  private DicomListener(Vertx vertx, AnalysisService service, ReceivedAnalyses store,
      ServerSocket socket, Path root, CallerPolicy callers) {
    this.vertx = vertx;
    this.callers = callers;
    this.socket = socket;
    this.root = root;
    this.aeTitle = service.options().ingest().dicomAe();
    ServerOptions o = service.options();
    // on disk at most what admission could hold in memory, so a burst of series is not refused
    long maxTemp = o.maxUploadBytes() * (long) (o.maxInFlight() + o.maxQueued() + 1);
    this.collector = new SeriesCollector(vertx, service, store, root, maxTemp, SERIES_IDLE);
    this.associations = new ThreadPoolExecutor(MAX_ASSOCIATIONS, MAX_ASSOCIATIONS, 30,
        TimeUnit.SECONDS, new ArrayBlockingQueue<>(MAX_ASSOCIATIONS), r -> daemon(r, "assoc"));
    this.sweepTimer = vertx.setPeriodic(SERIES_IDLE.toMillis() / 4, id -> collector.sweep());
    daemon(this::acceptLoop, "accept").start();
  }

  /**
   * Binds {@code service.options()}'s host and {@code ingest().dicomPort()} (0 picks a free port)
   * and starts listening.
   *
   * @throws IllegalStateException (failed future) when the listener is not configured
   */
  public static Future<DicomListener> start(Vertx vertx, AnalysisService service,
      ReceivedAnalyses store) {
    return start(vertx, service, store, TlsOptions.none());
  }

  /**
   * As {@link #start(Vertx, AnalysisService, ReceivedAnalyses)}; with {@code dicomTls} the
   * listener speaks DICOM TLS with {@code tls}' files ({@link DicomTls}).
   *
   * @throws io.spoils.feature.InvalidInputException (failed future) when {@code dicomTls} is set
   *     without a certificate in {@code tls}
   */
  public static Future<DicomListener> start(Vertx vertx, AnalysisService service,
      ReceivedAnalyses store, TlsOptions tls) {
    ServerOptions o = service.options();
    if (o.ingest().dicomPort().isEmpty()) {
      return Future.failedFuture(new IllegalStateException("the DICOM listener is off"));
    }
    return vertx.executeBlocking(() -> {
      Path root = Files.createTempDirectory("spoils-dicom-");
      ServerSocket s;
      try {
        s = o.ingest().dicomCallers().tls() ? DicomTls.serverSocket(vertx, tls)
            : new ServerSocket();
      } catch (Exception e) {
        Files.deleteIfExists(root);
        throw e;
      }
      try {
        s.bind(new InetSocketAddress(o.host(), o.ingest().dicomPort().getAsInt()), 50);
      } catch (IOException e) {
        s.close();
        Files.deleteIfExists(root);
        throw e;
      }
      return new Bound(s, root, CallerPolicy.of(o.ingest().dicomCallers()));
    }, false).map(b -> new DicomListener(vertx, service, store, b.socket(), b.root(),
        b.callers()));
  }

  private record Bound(ServerSocket socket, Path root, CallerPolicy callers) { }

  /** The bound TCP port. */
  public int port() {
    return socket.getLocalPort();
  }

  public String aeTitle() {
    return aeTitle;
  }

  private static Thread daemon(Runnable r, String what) {
    Thread t = new Thread(r, "spoils-dicom-" + what + "-" + THREADS.incrementAndGet());
    t.setDaemon(true);
    return t;
  }

  private void acceptLoop() {
    while (!closed) {
      Socket s;
      try {
        s = socket.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.log(Level.WARNING, "DICOM listener: accept failed: " + e.getClass().getSimpleName());
          pause();
        }
        continue;
      }
      try {
        associations.execute(() -> serve(s));
      } catch (RejectedExecutionException busy) {
        close(s);
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One association, on a listener thread: PixelMed negotiates, receives and writes files. */
  private void serve(Socket s) {
    open.add(s);
    SeriesCollector.Association association = collector.association();
    Path dir = null;
    try {
      s.setSoTimeout((int) SOCKET_TIMEOUT.toMillis());
      Socket peer = s;
      if (!callers.any()) {
        AssociationRequest request = AssociationRequest.read(s.getInputStream());
        if (!callers.allows(request.callingAe(), s.getInetAddress())) {
          LOG.warning("DICOM association rejected: calling AE title \""
              + request.printableCallingAe() + "\" from " + s.getInetAddress().getHostAddress()
              + " is not in dicomAllowedCallers");
          AssociationRequest.reject(s.getOutputStream());
          return;
        }
        peer = new PeekedSocket(s, request.bytes());
      }
      dir = Files.createTempDirectory(root, "association-");
      new StorageSOPClassSCP(peer, aeTitle, AssociationFactory.getDefaultMaximumLengthReceived(),
          AssociationFactory.getDefaultReceiveBufferSize(),
          AssociationFactory.getDefaultSendBufferSize(), dir.toFile(),
          StoredFilePathStrategy.BYSOPINSTANCEUIDINSINGLEFOLDER, handler(association),
          released(association), null, null, null, new MrStoragePolicy()).run();
    } catch (Exception e) {
      // PixelMed's messages may quote attribute values: the class name only
      LOG.log(Level.INFO, "DICOM association ended with " + e.getClass().getSimpleName());
    } finally {
      association.ended();
      close(s);
      open.remove(s);
      deleteTree(dir);
    }
  }

  private static ReceivedObjectHandler handler(SeriesCollector.Association association) {
    return new ReceivedObjectHandler() {
      @Override
      public void sendReceivedObjectIndication(String fileName, String transferSyntax,
          String callingAeTitle) {
        if (fileName != null) {
          association.received(Path.of(fileName), callingAeTitle);
        }
      }
    };
  }

  /** At A-RELEASE, before PixelMed winds the connection down. */
  private static AssociationStatusHandler released(SeriesCollector.Association association) {
    return new AssociationStatusHandler() {
      @Override
      public void sendAssociationReleaseIndication(Association a) {
        association.ended();
      }
    };
  }

  private static void close(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  /** Stops accepting, ends open associations, stops analysing new series, deletes the files. */
  public Future<Void> close() {
    closed = true;
    vertx.cancelTimer(sweepTimer);
    return vertx.executeBlocking(() -> {
      socket.close();
      associations.shutdownNow();
      // socket reads do not answer interrupts: closing the sockets ends the associations
      open.forEach(DicomListener::close);
      associations.awaitTermination(5, TimeUnit.SECONDS);
      deleteTree(root);
      return null;
    }, false);
  }

  static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(SeriesCollector::delete);
    } catch (IOException | java.io.UncheckedIOException e) {
      // best effort: the OS cleans its temp folder
    }
  }
}
