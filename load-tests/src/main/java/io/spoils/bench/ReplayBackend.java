package io.spoils.bench;

import io.spoils.gateway.backend.BackendException;
import io.spoils.gateway.backend.BackendStatus;
import io.spoils.gateway.backend.InferRequest;
import io.spoils.gateway.backend.InferResponse;
import io.spoils.gateway.backend.InferenceBackend;
import io.spoils.gateway.backend.ModelSpec;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A zero-cost inference backend for benchmarks: it first records the answers of a real backend
 * ({@link #recording}), then replays them ({@link #replaying}) without running any model, so a
 * benchmark measures only the gateway's CPU work around the models. Answers are keyed by model name
 * and input shape (batch size and spatial size); a request with no recorded answer fails with
 * {@code NOT_FOUND}, so a replay never answers a request it has not seen. Replayed tensors are shared: the pipeline only reads them.
 */
final class ReplayBackend implements InferenceBackend {

  private final InferenceBackend recorded;
  private final List<ModelSpec> models;
  private final Map<String, InferResponse> answers;
  private final boolean replay;

  private ReplayBackend(InferenceBackend recorded, List<ModelSpec> models,
      Map<String, InferResponse> answers, boolean replay) {
    this.recorded = recorded;
    this.models = models;
    this.answers = answers;
    this.replay = replay;
  }

  /** Passes every call to {@code real} and keeps its answers. */
  static ReplayBackend recording(InferenceBackend real) {
    return new ReplayBackend(real, List.copyOf(real.models()), new ConcurrentHashMap<>(), false);
  }

  /** A backend answering from what this one recorded; the real backend is no longer used. */
  ReplayBackend replaying() {
    if (answers.isEmpty()) {
      throw new IllegalStateException("nothing was recorded");
    }
    return new ReplayBackend(null, models, Map.copyOf(answers), true);
  }

  /** How many distinct answers were recorded. */
  int recordedAnswers() {
    return answers.size();
  }

  private static String key(InferRequest request) {
    // the whole input shape: a series' passes send batches of one size with other spatial sizes
    long[] shape = request.inputs().values().iterator().next().shape();
    return request.model() + "/" + java.util.Arrays.toString(shape);
  }

  @Override
  public Future<InferResponse> infer(InferRequest request) {
    String key = key(request);
    if (!replay) {
      return recorded.infer(request).onSuccess(r -> answers.put(key, r));
    }
    InferResponse answer = answers.get(key);
    return answer != null ? Future.succeededFuture(answer)
        : Future.failedFuture(new BackendException(BackendStatus.NOT_FOUND,
            "no recorded answer for " + key));
  }

  @Override
  public Future<Void> ready() {
    return replay ? Future.succeededFuture() : recorded.ready();
  }

  @Override
  public Future<Void> close() {
    return replay ? Future.succeededFuture() : recorded.close();
  }

  @Override
  public Optional<ModelSpec> model(String name) {
    return models.stream().filter(m -> m.name().equals(name)).findFirst();
  }

  @Override
  public List<ModelSpec> models() {
    return models;
  }
}
