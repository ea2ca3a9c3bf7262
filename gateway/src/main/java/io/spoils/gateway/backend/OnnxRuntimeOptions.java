package io.spoils.gateway.backend;

/**
 * Tuning of {@link OnnxRuntimeBackend}.
 *
 * <p>Each model has its own ONNX Runtime session with an intra-op pool of {@code intraOpThreads};
 * {@code workers} requests run at once (one per worker thread, each may use a session's intra-op
 * pool), so up to {@code workers * intraOpThreads} cores are busy. Requests beyond the running ones
 * wait in a queue of {@code queueCapacity}; when it is full, calls fail at once with
 * {@code UNAVAILABLE} rather than piling up.
 *
 * @param intraOpThreads threads one session uses inside an operator, &gt;= 1
 * @param workers concurrent inference calls, &gt;= 1
 * @param queueCapacity calls waiting for a worker, &gt;= 1
 */
public record OnnxRuntimeOptions(int intraOpThreads, int workers, int queueCapacity) {

  /** Default queue capacity: room for a burst of studies without unbounded memory. */
  public static final int DEFAULT_QUEUE_CAPACITY = 64;

  public OnnxRuntimeOptions {
    if (intraOpThreads < 1 || workers < 1 || queueCapacity < 1) {
      throw new IllegalArgumentException("ONNX Runtime options must be >= 1, got intraOpThreads="
          + intraOpThreads + " workers=" + workers + " queueCapacity=" + queueCapacity);
    }
  }

  /**
   * Defaults: 2 workers (a segmentation and a grading call overlap), intra-op threads = half the
   * available processors (at least 1), so the two together use about every core; queue of
   * {@value #DEFAULT_QUEUE_CAPACITY}.
   */
  public static OnnxRuntimeOptions defaults() {
    int cores = Runtime.getRuntime().availableProcessors();
    return new OnnxRuntimeOptions(Math.max(1, cores / 2), 2, DEFAULT_QUEUE_CAPACITY);
  }
}
