package io.spoils.gateway.backend.simulated;

import io.spoils.feature.tensor.FloatTensor;
import io.spoils.gateway.backend.BackendException;
import io.spoils.gateway.backend.BackendStatus;
import io.spoils.gateway.backend.InferRequest;
import io.spoils.gateway.backend.InferResponse;
import io.spoils.gateway.backend.InferenceBackend;
import io.spoils.gateway.backend.ModelRegistry;
import io.spoils.gateway.backend.ModelSpec;
import io.spoils.gateway.backend.RegisteredModel;
import io.spoils.gateway.backend.RequestValidator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A backend without models, for measuring the gateway alone: it answers the models of
 * {@link ModelRegistry#BACKEND_MODELS} ({@code spine_segmentation}, {@code disc_grading}; shapes
 * and dtypes as in {@code triton-models/CONTRACT.md}) after {@link SimulatedOptions#latencyMs()} plus jitter, with
 * outputs prepared once ({@link SimulatedOutputs}): segmentation logits of any padded size
 * Hp x Wp that reproduce the bundled example's expert mask on the 0.8 mm grid of CONTRACT.md (its
 * lowest disc as the lumbosacral disc), and fixed grading probabilities. A call validates its
 * inputs like the real backends, then waits on a Vert.x timer; it never blocks a thread and does no
 * inference work, so its cost per call is a few microseconds.
 *
 * <p>It is labelled everywhere: backend label {@value #LABEL}, model version {@value #VERSION},
 * platform {@value #PLATFORM}, and every analysis carries the warning {@value #WARNING_CODE}.
 * Its results are not medical output.
 */
public final class SimulatedBackend implements InferenceBackend {

  /** Backend label for ListModels and the summary. */
  public static final String LABEL = "simulated";
  /** Model version reported for both models; no real model has version 0. */
  public static final long VERSION = 0;
  /** The models' platform, in place of e.g. {@code onnxruntime_onnx}. */
  public static final String PLATFORM = "simulated";
  /** Warning code every analysis on this backend carries. */
  public static final String WARNING_CODE = "SIMULATED_BACKEND";
  /** The warning, as {@code CODE: sentence}. */
  static final String WARNING = WARNING_CODE + ": No model ran: this server uses the simulated "
      + "backend, whose segmentation is a fixed recorded mask and whose grades are fixed "
      + "probabilities, so these results are not medical output.";

  /** {@link #provenance(String)} of both models. */
  public static final String PROVENANCE = "simulated backend: no trained weights; a fixed "
      + "recorded mask and fixed probabilities after a set latency, not medical output";

  private final Vertx vertx;
  private final SimulatedOptions options;
  private final SimulatedOutputs outputs;
  private final Map<String, ModelSpec> specs;
  private volatile boolean closed;

  /** Builds the outputs (reads the bundled mask, a few milliseconds). */
  public SimulatedBackend(Vertx vertx, SimulatedOptions options) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.options = Objects.requireNonNull(options, "options");
    this.outputs = new SimulatedOutputs(options.gradingMaxBatch());
    this.specs = Map.of(ModelRegistry.SEGMENTATION.name(), segmentationSpec(options),
        ModelRegistry.DISC_GRADING.name(), gradingSpec(options));
  }

  public SimulatedOptions options() {
    return options;
  }

  @Override
  public Future<InferResponse> infer(InferRequest request) {
    InferResponse answer;
    try {
      answer = answer(request);
    } catch (BackendException e) {
      return Future.failedFuture(e);
    }
    double u = options.jitterMs() > 0 ? ThreadLocalRandom.current().nextDouble() : 0;
    long delay = options.delayNanos(u);
    if (delay <= 0) {
      return Future.succeededFuture(answer);
    }
    long left = request.deadline().nanoTime() - System.nanoTime();
    if (left >= delay) {
      return vertx.timer(delay, TimeUnit.NANOSECONDS).map(v -> answer);
    }
    // the answer would come after the deadline: fail when the deadline passes, as real backends do
    return vertx.timer(Math.max(1, left), TimeUnit.NANOSECONDS).transform(v -> Future.failedFuture(
        new BackendException(BackendStatus.DEADLINE_EXCEEDED, "simulated " + request.model()
            + " call passed its deadline")));
  }

  /** Checks the request as real backends do and picks the prepared outputs. */
  private InferResponse answer(InferRequest request) {
    if (closed) {
      throw new BackendException(BackendStatus.UNAVAILABLE, "inference backend is closed");
    }
    ModelSpec spec = specs.get(request.model());
    if (spec == null || (request.version().isPresent() && request.version().getAsLong() != VERSION)) {
      throw new BackendException(BackendStatus.NOT_FOUND, "the simulated backend serves no model "
          + request.model() + (request.version().isPresent() ? " version "
          + request.version().getAsLong() : ""));
    }
    int n = RequestValidator.validate(spec, request);
    if (request.deadline().expired()) {
      throw new BackendException(BackendStatus.DEADLINE_EXCEEDED, "simulated " + request.model()
          + " call arrived after its deadline");
    }
    boolean segmentation = spec.name().equals(ModelRegistry.SEGMENTATION.name());
    FloatTensor out;
    if (segmentation) {
      long[] shape = request.inputs().get(spec.inputs().get(0).name()).shape();
      out = outputs.logits(n, (int) shape[2], (int) shape[3]);
    } else {
      out = outputs.grading(n);
    }
    return new InferResponse(spec.name(), VERSION,
        Map.of(spec.outputs().get(0).name(), out));
  }

  @Override
  public Future<Void> ready() {
    return closed ? Future.failedFuture(new BackendException(BackendStatus.UNAVAILABLE,
        "inference backend is closed")) : Future.succeededFuture();
  }

  @Override
  public Future<Void> close() {
    closed = true;
    return Future.succeededFuture();
  }

  @Override
  public Optional<ModelSpec> model(String name) {
    return Optional.ofNullable(specs.get(name));
  }

  @Override
  public List<ModelSpec> models() {
    return ModelRegistry.backendModelNames().stream().map(specs::get).toList();
  }

  /** The same line for both models: there are no weights to trace, only recorded outputs. */
  @Override
  public Optional<String> provenance(String model) {
    return specs.containsKey(model) ? Optional.of(PROVENANCE) : Optional.empty();
  }

  @Override
  public List<String> studyWarnings() {
    return List.of(WARNING);
  }

  private static ModelSpec segmentationSpec(SimulatedOptions options) {
    return spec(ModelRegistry.SEGMENTATION, options.segmentationMaxBatch());
  }

  private static ModelSpec gradingSpec(SimulatedOptions options) {
    return spec(ModelRegistry.DISC_GRADING, options.gradingMaxBatch());
  }

  /** The registered contract itself, served without weights. */
  private static ModelSpec spec(RegisteredModel model, int maxBatch) {
    return model.spec(VERSION, PLATFORM, maxBatch, Path.of("simulated-no-weights"));
  }
}
