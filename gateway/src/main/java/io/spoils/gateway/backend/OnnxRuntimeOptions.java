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
 * ({@link InferenceBackend#batchLimit}) below the model's {@code max_batch_size}, which is set for
 * a GPU: on the CPU a batch costs at least the sum of its slices, and more per slice from about 4
 * slices on (their activations no longer fit the caches), while smaller requests let the series'
 * CPU work overlap the model's. On the project's two-core machine, {@code SeriesEndToEndBenchmark}
 * (15-slice series, embedded) with {@code -p maxBatch=4,1,2} gave 170, 164 and 166 ms per series,
 * and in the order 1, 2, 4: 164, 177 and 189 ms (PERFORMANCE.md section 5).
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

  /** Default {@link #maxBatch()}: one slice per request, the fastest series measured (above). */
  public static final int DEFAULT_MAX_BATCH = 1;

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
   * {@value #DEFAULT_QUEUE_CAPACITY}; requests of {@value #DEFAULT_MAX_BATCH} slice.
   */
  public static OnnxRuntimeOptions defaults() {
    int cores = Runtime.getRuntime().availableProcessors();
    return new OnnxRuntimeOptions(Math.max(1, cores / 2), 2, DEFAULT_QUEUE_CAPACITY);
  }
}
