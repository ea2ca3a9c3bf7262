package io.spoils.gateway.metrics;

import io.spoils.gateway.backend.BackendException;
import io.spoils.gateway.backend.InferRequest;
import io.spoils.gateway.backend.InferResponse;
import io.spoils.gateway.backend.InferenceBackend;
import io.spoils.gateway.backend.ModelSpec;
import io.vertx.core.Future;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@link InferenceBackend} that times each {@link #infer} of the one it wraps into
 * {@code spoils_backend_seconds{model,outcome}}: {@code outcome} is {@code ok}, the lower-case
 * {@link io.spoils.gateway.backend.BackendStatus} of a {@link BackendException} (e.g.
 * {@code unavailable}), or {@code error} for any other failure. Everything else is passed through.
 */
public final class TimedBackend implements InferenceBackend {

  private final InferenceBackend delegate;
  private final GatewayMetrics metrics;

  /** @param delegate the backend timed; not owned beyond {@link #close()}, which it forwards */
  public TimedBackend(InferenceBackend delegate, GatewayMetrics metrics) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    metrics.backendReady(() -> delegate.ready().succeeded());
  }

  @Override
  public Future<InferResponse> infer(InferRequest request) {
    long start = System.nanoTime();
    Future<InferResponse> call;
    try {
      call = delegate.infer(request);
    } catch (RuntimeException e) {
      call = Future.failedFuture(e);
    }
    return call.andThen(ar -> metrics.backendCall(request.model(),
        ar.succeeded() ? "ok" : outcome(ar.cause()), System.nanoTime() - start));
  }

  static String outcome(Throwable failure) {
    return failure instanceof BackendException b
        ? b.status().name().toLowerCase(Locale.ROOT) : "error";
  }

  @Override
  public Future<Void> ready() {
    return delegate.ready();
  }

  @Override
  public Future<Void> close() {
    return delegate.close();
  }

  @Override
  public Optional<ModelSpec> model(String name) {
    return delegate.model(name);
  }

  @Override
  public List<ModelSpec> models() {
    return delegate.models();
  }

  @Override
  public Optional<String> provenance(String model) {
    return delegate.provenance(model);
  }

  @Override
  public int batchLimit(String model) {
    return delegate.batchLimit(model);
  }

  @Override
  public List<String> studyWarnings() {
    return delegate.studyWarnings();
  }
}
