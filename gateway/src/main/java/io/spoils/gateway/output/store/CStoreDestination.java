package io.spoils.gateway.output.store;

import com.pixelmed.dicom.SetOfDicomFiles;
import com.pixelmed.network.MultipleInstanceTransferStatusHandler;
import com.pixelmed.network.StorageSOPClassSCU;
import io.spoils.gateway.backend.Deadline;
import io.spoils.gateway.config.StoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * C-STORE to a configured application entity with PixelMed's {@link StorageSOPClassSCU}: one
 * association per try, every object in it, uncompressed. PixelMed sends from files and blocks, so
 * a try writes the objects into a private temporary folder, runs on a worker and deletes the
 * folder when it ends. The try's future fails at the deadline. PixelMed sets no connect or read
 * timeout (only at release), so a destination that accepts the connection and then never answers
 * keeps that worker blocked until the connection dies: tries therefore run on their own small pool
 * ({@value #POOL} threads, {@value #POOL_NAME}), never on the shared worker pool the analyses use.
 * A refused object is final; a refused, unreachable or broken association is worth another try.
 */
public final class CStoreDestination implements StoreDestination {

  /** Name of the shared worker pool of C-STORE tries. */
  static final String POOL_NAME = "spoils-cstore";
  /** Its threads: C-STORE tries at once, across destinations. */
  static final int POOL = 2;

  private final Vertx vertx;
  private final WorkerExecutor workers;
  private final StoreOptions.Ae ae;
  private final String callingAe;

  /**
   * @param ae where to send
   * @param callingAe our AE title
   */
  public CStoreDestination(Vertx vertx, StoreOptions.Ae ae, String callingAe) {
    this.vertx = vertx;
    this.workers = vertx.createSharedWorkerExecutor(POOL_NAME, POOL);
    this.ae = ae;
    this.callingAe = callingAe;
  }

  @Override
  public String name() {
    return "AE " + ae;
  }

  @Override
  public Future<Void> send(List<byte[]> objects, Deadline deadline) {
    long ms = deadline.remaining().toMillis();
    if (ms <= 0) {
      return Future.failedFuture(new StoreException(name()
          + " was not tried: the store deadline had passed", false));
    }
    Promise<Void> result = Promise.promise();
    long timer = vertx.setTimer(ms, id -> result.tryFail(new StoreException(name()
        + " did not finish before the store deadline", false)));
    workers.<Void>executeBlocking(() -> {
      sendBlocking(objects);
      return null;
    }, false).onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        result.tryComplete();
      } else {
        result.tryFail(ar.cause() instanceof StoreException ? ar.cause()
            : new StoreException(name() + " failed: internal error", false));
      }
    });
    return result.future();
  }

  private void sendBlocking(List<byte[]> objects) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("spoils-store-");
      SetOfDicomFiles files = new SetOfDicomFiles();
      for (int i = 0; i < objects.size(); i++) {
        Path file = dir.resolve("object-" + i + ".dcm");
        Files.write(file, objects.get(i));
        files.add(file.toString());
      }
      AtomicInteger failed = new AtomicInteger();
      AtomicInteger completed = new AtomicInteger();
      StorageSOPClassSCU scu = new StorageSOPClassSCU(ae.host(), ae.port(), ae.title(), callingAe,
          files, 0, new MultipleInstanceTransferStatusHandler() {
            @Override
            public void updateStatus(int remaining, int done, int failures, int warnings,
                String sopInstanceUid) {
              completed.set(done + warnings);
              failed.set(failures);
            }
          });
      if (failed.get() > 0) {
        throw new StoreException(name() + " refused " + failed.get() + " of the objects", false);
      }
      if (scu.encounteredTrappedExceptions() || completed.get() < objects.size()) {
        // PixelMed traps the association's exceptions: refused, unreachable or broken
        throw new StoreException(name() + " refused the association, is unreachable or broke "
            + "it", true);
      }
    } catch (IOException e) {
      throw new StoreException("the objects for " + name() + " could not be written to a "
          + "temporary folder", false);
    } finally {
      delete(dir);
    }
  }

  private static void delete(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder left behind holds no more than one try's objects
    }
  }
}
