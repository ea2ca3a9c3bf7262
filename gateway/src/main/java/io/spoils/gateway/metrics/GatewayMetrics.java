package io.spoils.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.spoils.gateway.pipeline.Stage;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The gateway's meters, in one Prometheus registry. Series (Prometheus names):
 * <ul>
 *   <li>{@code spoils_stage_seconds{stage}}: histogram of each pipeline stage's wall time, one
 *   series per {@link Stage} but {@code TOTAL} ({@code stage} is the lower-case stage name);</li>
 *   <li>{@code spoils_study_seconds}: histogram of a whole analysis ({@link Stage#TOTAL});</li>
 *   <li>{@code spoils_backend_seconds{model,outcome}}: histogram of backend {@code infer} calls
 *   ({@code outcome} {@code ok} or the lower-case {@code BackendStatus}, see
 *   {@link TimedBackend});</li>
 *   <li>{@code spoils_studies_in_flight}, {@code spoils_studies_queued}: gauges of admission;</li>
 *   <li>{@code spoils_backend_ready}: 1 while the inference backend is ready (the embedded models
 *   loaded; Triton's health checks passing), else 0;</li>
 *   <li>{@code spoils_rejections_total{reason}}: studies refused for the server's limits
 *   ({@link #BUSY}, {@link #QUEUE_TIMEOUT}, {@link #TOO_LARGE});</li>
 *   <li>{@code spoils_errors_total{status,code}}: every failed analysis request (HTTP or gRPC), by
 *   the HTTP status and the gRPC status name {@code Failure#of} chose, rejections included;
 *   unknown routes (404/405) are not counted; {@code code="CANCELLED"} counts analyses the client
 *   cancelled or abandoned;</li>
 *   <li>the JVM and the process, with Micrometer's standard names: {@code jvm_memory_*},
 *   {@code jvm_buffer_*}, {@code jvm_gc_*}, {@code jvm_threads_*}, {@code jvm_classes_*},
 *   {@code process_cpu_usage}, {@code system_cpu_*}, {@code process_uptime_seconds},
 *   {@code process_start_time_seconds}.</li>
 * </ul>
 * Thread-safe; recording never blocks. {@link #close()} when done (it holds a GC listener). One
 * instance per service: {@link #admission} registers the gauges once, a second call keeps the
 * first suppliers.
 */
public final class GatewayMetrics {

  /** Rejection reason: admission refused the study (in-flight and queue full). */
  public static final String BUSY = "busy";
  /** Rejection reason: the study waited in the admission queue for its longest wait. */
  public static final String QUEUE_TIMEOUT = "queue_timeout";
  /** Rejection reason: the study is beyond the file or byte limit. */
  public static final String TOO_LARGE = "too_large";

  /** Histogram buckets: 5 ms to 2 min, covering a CPU segmentation and a slow deadline. */
  private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10),
      Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
      Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60),
      Duration.ofSeconds(120)};

  private final PrometheusMeterRegistry registry;
  private final Map<Stage, Timer> stages = new EnumMap<>(Stage.class);
  private final Timer study;
  /** Listens to GC notifications: the one binder that holds a resource. */
  private final JvmGcMetrics gc;

  /** A fresh registry with the stage and study histograms registered (all at zero). */
  public GatewayMetrics() {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    for (Stage s : Stage.values()) {
      if (s != Stage.TOTAL) {
        stages.put(s, histogram("spoils.stage", "Wall time of one pipeline stage")
            .tag("stage", s.name().toLowerCase(Locale.ROOT)).register(registry));
      }
    }
    this.study = histogram("spoils.study", "Wall time of one whole analysis").register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    this.gc = new JvmGcMetrics();
    gc.bindTo(registry);
  }

  /** Stops listening to the JVM's garbage collections; the meters stay readable. Idempotent. */
  public void close() {
    gc.close();
  }

  private static Timer.Builder histogram(String name, String help) {
    return Timer.builder(name).description(help).serviceLevelObjectives(BUCKETS)
        .minimumExpectedValue(BUCKETS[0]).maximumExpectedValue(BUCKETS[BUCKETS.length - 1]);
  }

  /** Records one analysis's per-stage timings ({@code TOTAL} goes to the study histogram). */
  public void study(Map<Stage, Duration> timings) {
    timings.forEach((stage, took) -> {
      Timer t = stage == Stage.TOTAL ? study : stages.get(stage);
      t.record(took);
    });
  }

  /** Records one backend call of {@code model} that took {@code nanos} and ended in {@code outcome}. */
  public void backendCall(String model, String outcome, long nanos) {
    histogram("spoils.backend", "Latency of one backend inference call")
        .tags("model", model, "outcome", outcome).register(registry)
        .record(Duration.ofNanos(nanos));
  }

  /** Publishes the admission gauges; the suppliers are read at each scrape. */
  public void admission(IntSupplier inFlight, IntSupplier queued) {
    Gauge.builder("spoils.studies.in.flight", inFlight::getAsInt)
        .description("Studies being analysed now").register(registry);
    Gauge.builder("spoils.studies.queued", queued::getAsInt)
        .description("Studies waiting for an analysis slot").register(registry);
  }

  /** Publishes {@code spoils_backend_ready}, 1 while {@code ready} says so; read at each scrape. */
  public void backendReady(java.util.function.BooleanSupplier ready) {
    Gauge.builder("spoils.backend.ready", () -> ready.getAsBoolean() ? 1 : 0)
        .description("1 while the inference backend is ready, else 0").register(registry);
  }

  /**
   * Counts one study refused for {@code reason} ({@link #BUSY}, {@link #QUEUE_TIMEOUT},
   * {@link #TOO_LARGE}).
   */
  public void rejected(String reason) {
    Counter.builder("spoils.rejections").description("Studies refused for the server's limits")
        .tag("reason", reason).register(registry).increment();
  }

  /** Counts one failure answered with HTTP {@code httpStatus} / gRPC {@code grpcStatus}. */
  public void error(int httpStatus, String grpcStatus) {
    Counter.builder("spoils.errors").description("Failures answered, by status")
        .tags("status", Integer.toString(httpStatus), "code", grpcStatus)
        .register(registry).increment();
  }

  /** The registry itself, for the meters of optional components (the DICOM listener). */
  public io.micrometer.core.instrument.MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition (format 0.0.4) of every meter; in memory, does not block. */
  public String scrape() {
    return registry.scrape();
  }

  /** The {@code Content-Type} of {@link #scrape()}. */
  public static String contentType() {
    return "text/plain; version=0.0.4; charset=utf-8";
  }
}
