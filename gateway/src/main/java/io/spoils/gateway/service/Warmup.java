package io.spoils.gateway.service;

import io.spoils.feature.InvalidInputException;
import io.spoils.gateway.failure.Failure;
import io.spoils.gateway.pipeline.AnalysisPipeline;
import io.spoils.gateway.pipeline.AnalysisRequest;
import io.spoils.gateway.pipeline.PipelineSink;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * A few studies through the whole pipeline before the server reports ready, as Triton's
 * {@code model_warmup} does for its models: the first study after start-up otherwise pays class
 * loading, the JIT's first compilations and the models' first runs; a real study warms all of it,
 * a model call on zeros only the last (most of the cost is Java code run for the first time).
 * {@code load-tests/scenarios/first-study.sh} times the first studies over HTTP with and without
 * it (README, "Performance"). The study is the bundled example slice
 * ({@value #RESOURCE}, SPIDER, CC BY 4.0, see the ATTRIBUTION.md beside it), analysed on a pipeline
 * of its own on the raw backend: its results are discarded and it counts in no metric. A warm-up
 * study that fails is logged (its failure code, nothing of the image) and ends the warm-up; the
 * server then becomes ready anyway, its readiness following the backend's.
 *
 * <p>The number of studies comes from {@value #ENV} (default {@value #DEFAULT_STUDIES}, 0 turns
 * the warm-up off, at most {@value #MAX_STUDIES}).
 */
public final class Warmup {

  /** The environment variable with the number of warm-up studies. */
  public static final String ENV = "SPOILS_WARMUP_STUDIES";
  /** Default number of warm-up studies. */
  public static final int DEFAULT_STUDIES = 3;
  /** Most warm-up studies. */
  public static final int MAX_STUDIES = 50;
  /** The bundled study, beside this class. */
  static final String RESOURCE = "warmup/spine-t2.dcm";

  private static final Logger LOG = Logger.getLogger(Warmup.class.getName());

  /** The studies that succeeded, once the warm-up has ended. */
  private final Promise<Integer> ran = Promise.promise();

  /** A warm-up that has not run: {@link #done()} stays incomplete until {@link #run}. */
  Warmup() {
  }

  /** A warm-up with nothing to do: already {@link #done()}. */
  static Warmup none() {
    Warmup w = new Warmup();
    w.ran.complete(0);
    return w;
  }

  /**
   * The number of warm-up studies {@code env} asks for.
   *
   * @throws InvalidInputException when {@value #ENV} is not a whole number from 0 to
   *     {@value #MAX_STUDIES}
   */
  public static int studies(Map<String, String> env) {
    String v = env.get(ENV);
    if (v == null || v.isBlank()) {
      return DEFAULT_STUDIES;
    }
    int n;
    try {
      n = Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (n < 0 || n > MAX_STUDIES) {
      throw new InvalidInputException(ENV + " must be a whole number of studies, 0 to "
          + MAX_STUDIES + ", got \"" + v + "\"");
    }
    return n;
  }

  /**
   * Completes (never fails) once the warm-up has ended, run or not, with the number of studies
   * that succeeded.
   */
  Future<Integer> done() {
    return ran.future();
  }

  /**
   * Runs {@code studies} studies one after the other on {@code pipeline}, once {@code ready}
   * succeeds; ends at once when it fails (the backend's readiness then says why).
   *
   * @return {@link #done()}
   */
  Future<Integer> run(Future<Void> ready, AnalysisPipeline pipeline, int studies) {
    ready.onComplete(r -> {
      if (r.failed() || studies == 0) {
        ran.complete(0);
        return;
      }
      long t0 = System.nanoTime();
      Future<Integer> studied;
      try {
        AnalysisRequest request = new AnalysisRequest(List.of(new AnalysisRequest.DicomInput(
            "warm-up.dcm", study())), Optional.empty(), false);
        studied = next(pipeline, request, 0, studies);
      } catch (RuntimeException e) { // a jar without the study: serve without a warm-up
        LOG.warning(() -> "warm-up not run: " + e.getMessage());
        studied = Future.succeededFuture(0);
      }
      studied.onComplete(x -> {
        int n = x.succeeded() ? x.result() : 0;
        LOG.info(() -> String.format("warm-up: %d of %d studies in %d ms", n, studies,
            (System.nanoTime() - t0) / 1_000_000));
        ran.complete(n);
      });
    });
    return done();
  }

  /** Studies {@code k} to {@code n - 1}; succeeds with the number that succeeded. */
  private static Future<Integer> next(AnalysisPipeline pipeline, AnalysisRequest request, int k,
      int n) {
    if (k == n) {
      return Future.succeededFuture(n);
    }
    return pipeline.analyze(request, PipelineSink.discard()).transform(ar -> {
      if (ar.failed()) {
        Failure f = Failure.of(ar.cause());
        LOG.warning(() -> "warm-up study " + (k + 1) + " of " + n + " failed (" + f.code()
            + "); the server serves without further warm-up");
        return Future.succeededFuture(k);
      }
      return next(pipeline, request, k + 1, n);
    });
  }

  /** The bundled study's bytes. */
  static byte[] study() {
    try (InputStream in = Warmup.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the warm-up study " + RESOURCE + " is not on the class "
            + "path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the warm-up study " + RESOURCE, e);
    }
  }
}
