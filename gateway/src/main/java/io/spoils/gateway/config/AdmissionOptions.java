package io.spoils.gateway.config;

import java.time.Duration;
import java.util.List;

/**
 * How many studies, how large and how long ({@code service.Admission},
 * {@code service.AnalysisService}, and the endpoints' upload checks).
 *
 * @param maxInFlight studies analysed at once, &gt;= 1 (default {@value #DEFAULT_MAX_IN_FLIGHT})
 * @param maxQueued studies waiting for a slot, &gt;= 0 (default {@value #DEFAULT_MAX_QUEUED})
 * @param maxQueueWaitSeconds the longest a study waits for a slot, seconds, &gt; 0 (default
 *     {@value #DEFAULT_MAX_QUEUE_WAIT_SECONDS})
 * @param timeoutSeconds deadline of one analysis, and of its request's arrival, seconds, &gt; 0
 *     (default {@value #DEFAULT_TIMEOUT_SECONDS})
 * @param retryAfterSeconds the Retry-After a refused request is told, seconds, &gt;= 1 (default
 *     {@value #DEFAULT_RETRY_AFTER_SECONDS})
 * @param maxUploadBytes bytes of one study (all files together) (default 64 MiB)
 * @param maxFiles files of one study (default {@value #DEFAULT_MAX_FILES})
 */
public record AdmissionOptions(int maxInFlight, int maxQueued, double maxQueueWaitSeconds,
    double timeoutSeconds, int retryAfterSeconds, long maxUploadBytes, int maxFiles) {

  public static final int DEFAULT_MAX_IN_FLIGHT = 4;
  public static final int DEFAULT_MAX_QUEUED = 16;
  /** Default longest wait in the admission queue: half the default analysis timeout. */
  public static final double DEFAULT_MAX_QUEUE_WAIT_SECONDS = 30;
  public static final double DEFAULT_TIMEOUT_SECONDS = 60;
  public static final int DEFAULT_RETRY_AFTER_SECONDS = 2;
  public static final long DEFAULT_MAX_UPLOAD_BYTES = 64L * 1024 * 1024;
  public static final int DEFAULT_MAX_FILES = 2000;

  /** The settings, as the README's table shows them. */
  public static final List<Setting> SETTINGS = List.of(
      Setting.of("AdmissionOptions", "maxInFlight", DEFAULT_MAX_IN_FLIGHT,
          "studies analysed at once, >= 1"),
      Setting.of("AdmissionOptions", "maxQueued", DEFAULT_MAX_QUEUED,
          "studies waiting for a slot, >= 0; beyond them a request is refused at once (429)"),
      Setting.of("AdmissionOptions", "maxQueueWaitSeconds", "30",
          "longest wait for a slot, seconds; then 429 (RESOURCE_EXHAUSTED)"),
      Setting.of("AdmissionOptions", "timeoutSeconds", "60",
          "deadline of one analysis, and of its request's arrival, seconds"),
      Setting.of("AdmissionOptions", "retryAfterSeconds", DEFAULT_RETRY_AFTER_SECONDS,
          "Retry-After told to a refused request, seconds, >= 1"),
      Setting.of("AdmissionOptions", "maxUploadBytes", DEFAULT_MAX_UPLOAD_BYTES,
          "bytes of one study, all files together (413 beyond)"),
      Setting.of("AdmissionOptions", "maxFiles", DEFAULT_MAX_FILES,
          "files of one study (413 beyond)"));

  /** {@link #timeoutSeconds()} as a duration. */
  public Duration timeout() {
    return ServerOptions.seconds(timeoutSeconds);
  }

  /** {@link #maxQueueWaitSeconds()} as a duration. */
  public Duration maxQueueWait() {
    return ServerOptions.seconds(maxQueueWaitSeconds);
  }
}
