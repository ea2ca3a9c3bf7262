package io.spoils.feature.dicom;

import java.lang.management.ManagementFactory;

/**
 * Bytes the current thread allocates while running a task, from HotSpot's per-thread allocation
 * counter ({@code com.sun.management.ThreadMXBean}). Used to check that hostile input cannot make
 * the reader allocate what it declares; a safety bound, not a performance figure. Test-only.
 */
final class Allocation {
  private Allocation() {}

  /** Bytes allocated by this thread while {@code task} ran; 0 where the JVM cannot tell. */
  static long ofThisThread(Runnable task) {
    if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean)
        || !bean.isThreadAllocatedMemorySupported()) {
      task.run();
      return 0;
    }
    bean.setThreadAllocatedMemoryEnabled(true);
    long id = Thread.currentThread().getId();
    long before = bean.getThreadAllocatedBytes(id);
    task.run();
    return bean.getThreadAllocatedBytes(id) - before;
  }
}
