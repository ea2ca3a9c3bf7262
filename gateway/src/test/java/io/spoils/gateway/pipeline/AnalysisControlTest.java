package io.spoils.gateway.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.backend.BackendException;
import io.spoils.gateway.backend.BackendStatus;
import io.spoils.gateway.backend.Deadline;
import io.spoils.gateway.backend.InferenceBackend;
import io.spoils.gateway.testing.DefaultTrees;
import io.spoils.gateway.testing.ExampleBackend;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The caller's deadline and cancellation ({@link AnalysisControl}) in the pipeline. */
@ExtendWith(VertxExtension.class)
@ExtendWith(DefaultTrees.class)
class AnalysisControlTest {

  private static XgbTreeGrader trees;
  private static byte[] slice;

  @BeforeAll
  static void load(XgbTreeGrader defaultTrees) throws Exception {
    trees = defaultTrees;
    slice = java.nio.file.Files.readAllBytes(AnalysisPipelineTest.EXAMPLE.resolve("slice.dcm"));
  }

  private static AnalysisRequest example() {
    return new AnalysisRequest(List.of(new AnalysisRequest.DicomInput("slice.dcm", slice)),
        Optional.empty());
  }

  private static AnalysisPipeline pipeline(Vertx vertx, InferenceBackend backend) {
    return new AnalysisPipeline(vertx, backend, "fake", trees, PipelineOptions.defaults());
  }

  @Test
  void analyze_cancelledBeforeStart_noBackendCall(Vertx vertx) {
    ExampleBackend backend = new ExampleBackend(7, 16).withDeadlines(vertx);
    Cancellation cancellation = new Cancellation();
    cancellation.cancel();
    AtomicInteger events = new AtomicInteger();
    Exception e = assertThrows(Exception.class, () -> AnalysisPipelineTest.await(
        pipeline(vertx, backend).analyze(example(),
            ev -> events.incrementAndGet(), AnalysisControl.of(cancellation))));
    assertInstanceOf(AnalysisCancelledException.class, e);
    assertTrue(e.getMessage().contains("decode"), e.getMessage());
    assertEquals(0, backend.calls.size());
    assertEquals(0, events.get());
  }

  @Test
  void analyze_cancelledDuringSegmentation_stopsBeforeGrading(Vertx vertx) throws Exception {
    ExampleBackend backend = new ExampleBackend(7, 16).withDeadlines(vertx);
    Promise<Void> segmentationGate = backend.holdSegmentation();
    Cancellation cancellation = new Cancellation();
    Future<PipelineEvent.Summary> run = pipeline(vertx, backend).analyze(
        example(), PipelineSink.discard(),
        AnalysisControl.of(cancellation));
    backend.held.get(60, TimeUnit.SECONDS);
    cancellation.cancel();
    vertx.runOnContext(v -> segmentationGate.complete());
    Exception e = assertThrows(Exception.class, () -> AnalysisPipelineTest.await(run));
    assertInstanceOf(AnalysisCancelledException.class, e);
    assertEquals(List.of(AnalysisPipeline.SEGMENTATION_MODEL),
        backend.calls.stream().map(ExampleBackend.Call::model).toList());
  }

  @Test
  void analyze_callerDeadlineEarlier_everyBackendCallCarriesIt(Vertx vertx) throws Exception {
    ExampleBackend backend = new ExampleBackend(7, 16).withDeadlines(vertx);
    Deadline caller = Deadline.after(Duration.ofSeconds(50));
    AnalysisPipelineTest.await(pipeline(vertx, backend).analyze(
        example(), PipelineSink.discard(),
        new AnalysisControl(Optional.of(caller), new Cancellation())));
    assertTrue(backend.calls.size() >= 2, "segmentation and grading");
    backend.calls.forEach(c -> assertEquals(caller, c.deadline(), c.model()));
  }

  @Test
  void analyze_callerDeadlineLater_serverTimeoutWins(Vertx vertx) throws Exception {
    ExampleBackend backend = new ExampleBackend(7, 16).withDeadlines(vertx);
    Deadline caller = Deadline.after(Duration.ofHours(1));
    AnalysisPipelineTest.await(pipeline(vertx, backend).analyze(
        example(), PipelineSink.discard(),
        new AnalysisControl(Optional.of(caller), new Cancellation())));
    backend.calls.forEach(c -> assertTrue(c.deadline().remaining()
        .compareTo(PipelineOptions.DEFAULT_TIMEOUT) <= 0, c.model()));
  }

  @Test
  void analyze_callerDeadlinePassed_deadlineExceededNotCancelled(Vertx vertx) {
    ExampleBackend backend = new ExampleBackend(7, 16).withDeadlines(vertx);
    Cancellation cancellation = new Cancellation();
    cancellation.cancel();
    Exception e = assertThrows(Exception.class, () -> AnalysisPipelineTest.await(
        pipeline(vertx, backend).analyze(example(),
            PipelineSink.discard(), new AnalysisControl(
                Optional.of(Deadline.after(Duration.ZERO)), cancellation))));
    assertEquals(BackendStatus.DEADLINE_EXCEEDED, assertInstanceOf(BackendException.class, e)
        .status());
  }
}
