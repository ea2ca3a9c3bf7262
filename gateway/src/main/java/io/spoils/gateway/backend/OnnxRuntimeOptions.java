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
 * <p>{@code maxBatch} caps the slices of a series sent in one segmentation request
 * ({@link InferenceBackend#batchLimit}), below the model's {@code max_batch_size}, which is set for
 * a GPU: on the CPU a batch costs at least the sum of its slices, and a batch of 4 of the series'
 * boxed slices cost 8.2 ms per slice against 6.9 ms in batches of 1 or 2 on the two cores of the
 * project's machine (two requests at once, one thread each; PERFORMANCE.md section 5), its
 * activations no longer fitting the caches. Smaller requests also let the series' CPU work overlap
 * the model's.
 *
 * @param intraOpThreads threads one session uses inside an operator, &gt;= 1
 * @param workers concurrent inference calls, &gt;= 1
 * @param queueCapacity calls waiting for a worker, &gt;= 1
 * @param maxBatch most slices of one segmentation request, &gt;= 1
 */
public record OnnxRuntimeOptions(int intraOpThreads, int workers, int queueCapacity,
    int maxBatch) {

  /** Default queue capacity: room for a burst of studies without unbounded memory. */
  public static final int DEFAULT_QUEUE_CAPACITY = 64;

  /** Default {@link #maxBatch()}: the largest batch measured no dearer per slice than one. */
  public static final int DEFAULT_MAX_BATCH = 2;

  public OnnxRuntimeOptions {
    if (intraOpThreads < 1 || workers < 1 || queueCapacity < 1 || maxBatch < 1) {
      throw new IllegalArgumentException("ONNX Runtime options must be >= 1, got intraOpThreads="
          + intraOpThreads + " workers=" + workers + " queueCapacity=" + queueCapacity
          + " maxBatch=" + maxBatch);
    }
  }

  /** Options with the default {@link #maxBatch()} of {@value #DEFAULT_MAX_BATCH}. */
  public OnnxRuntimeOptions(int intraOpThreads, int workers, int queueCapacity) {
    this(intraOpThreads, workers, queueCapacity, DEFAULT_MAX_BATCH);
  }

  /**
   * Defaults: 2 workers (a segmentation and a grading call overlap), intra-op threads = half the
   * available processors (at least 1), so the two together use about every core; queue of
   * {@value #DEFAULT_QUEUE_CAPACITY}; batches of at most {@value #DEFAULT_MAX_BATCH} slices.
   */
  public static OnnxRuntimeOptions defaults() {
    int cores = Runtime.getRuntime().availableProcessors();
    return new OnnxRuntimeOptions(Math.max(1, cores / 2), 2, DEFAULT_QUEUE_CAPACITY);
  }
}
