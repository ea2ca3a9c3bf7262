package io.spoils.gateway.backend.triton;

import static io.spoils.gateway.backend.triton.TritonBackendTest.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.decision.ClinicalScores;
import io.spoils.feature.tensor.FloatTensor;
import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.backend.Deadline;
import io.spoils.gateway.backend.InferRequest;
import io.spoils.gateway.backend.InferenceBackend;
import io.spoils.gateway.backend.ModelRepository;
import io.spoils.gateway.backend.OnnxRuntimeBackend;
import io.spoils.gateway.backend.OnnxRuntimeOptions;
import io.spoils.gateway.pipeline.AnalysisPipeline;
import io.spoils.gateway.pipeline.AnalysisRequest;
import io.spoils.gateway.pipeline.PipelineEvent;
import io.spoils.gateway.pipeline.PipelineOptions;
import io.spoils.gateway.testing.RealModels;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The trained models of triton-models/ over the Triton path (in-process KServe v2 server) and in
 * the embedded backend: same tensors, same disc results. Skipped when the models are absent.
 */
@ExtendWith(VertxExtension.class)
class TritonRealModelTest {

  static final Path MODELS = Path.of("../triton-models");
  static final Path SLICE = Path.of("examples/spider/slice.dcm");
  static final List<String> PIPELINE_MODELS =
      List.of(AnalysisPipeline.SEGMENTATION_MODEL, AnalysisPipeline.GRADING_MODEL);

  private ModelRepository repository;
  private KServeTestServer server;
  private TritonBackend triton;
  private OnnxRuntimeBackend embedded;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    for (String m : PIPELINE_MODELS) {
      Assumptions.assumeTrue(RealModels.present(MODELS, m),
          "triton-models/" + m + " has no model.onnx (model not trained/merged yet)");
    }
    repository = ModelRepository.load(MODELS);
    server = await(KServeTestServer.start(vertx, repository));
    triton = new TritonBackend(vertx, repository, PIPELINE_MODELS,
        TritonOptions.of("127.0.0.1", server.port()));
    embedded = new OnnxRuntimeBackend(vertx, repository, new OnnxRuntimeOptions(1, 2, 16));
    await(triton.ready());
    await(embedded.ready());
  }

  @AfterEach
  void stop() throws Exception {
    for (Object o : new Object[] {triton, embedded, server}) {
      if (o instanceof InferenceBackend b) {
        await(b.close());
      } else if (o instanceof KServeTestServer s) {
        await(s.close());
      }
    }
  }

  @Test
  void infer_bothModels_identicalToEmbedded() throws Exception {
    // the segmentation's spatial dims vary (contract v2): two padded sizes over one connection
    Map<String, FloatTensor> seg = Map.of("image", TritonBackendTest.random(3, 4, 1, 256, 224));
    Map<String, FloatTensor> other = Map.of("image", TritonBackendTest.random(4, 1, 1, 320, 384));
    Map<String, FloatTensor> grade = Map.of("crop", TritonBackendTest.random(5, 6, 1, 128, 128));
    compare(AnalysisPipeline.SEGMENTATION_MODEL, seg, "logits", new long[] {4, 5, 256, 224});
    compare(AnalysisPipeline.SEGMENTATION_MODEL, other, "logits", new long[] {1, 5, 320, 384});
    compare(AnalysisPipeline.GRADING_MODEL, grade, "probabilities", new long[] {6, 11});
  }

  @Test
  void segment_seriesOverTriton_identicalToEmbedded() throws Exception {
    List<FloatTensor> slices = List.of(TritonBackendTest.random(6, 1, 224, 256),
        TritonBackendTest.random(7, 1, 224, 256), TritonBackendTest.random(8, 1, 224, 256),
        TritonBackendTest.random(9, 1, 224, 256), TritonBackendTest.random(10, 1, 224, 256));
    Deadline deadline = Deadline.after(Duration.ofMinutes(2));
    var viaTriton = await(triton.segment(slices, deadline));
    var direct = await(embedded.segment(slices, deadline));
    assertEquals(5, viaTriton.logits().size());
    for (int i = 0; i < 5; i++) {
      assertArrayEquals(new long[] {5, 224, 256}, viaTriton.logits().get(i).shape());
      assertArrayEquals(direct.logits().get(i).data(), viaTriton.logits().get(i).data(), "slice " + i);
    }
  }

  private void compare(String model, Map<String, FloatTensor> inputs, String output, long[] shape)
      throws Exception {
    InferRequest request = InferRequest.of(model, inputs, Deadline.after(Duration.ofMinutes(2)));
    FloatTensor viaTriton = await(triton.infer(request)).output(output);
    FloatTensor direct = await(embedded.infer(request)).output(output);
    assertArrayEquals(shape, viaTriton.shape());
    assertArrayEquals(direct.data(), viaTriton.data(), model);
  }

  @Test
  void analyze_exampleSlice_sameDiscResultsAsEmbedded(Vertx vertx) throws Exception {
    Assumptions.assumeFalse(repository.untrained(AnalysisPipeline.SEGMENTATION_MODEL),
        "triton-models/spine_segmentation has untrained weights: no spine to find yet");
    AnalysisRequest request = new AnalysisRequest(List.of(new AnalysisRequest.DicomInput(
        "slice.dcm", Files.readAllBytes(SLICE))), Optional.of(new ClinicalScores(45, 7)));
    try (XgbTreeGrader trees = XgbTreeGrader.loadDefault()) {
      List<PipelineEvent.Disc> overTriton = discs(vertx, triton, "triton", trees, request);
      List<PipelineEvent.Disc> inProcess = discs(vertx, embedded, "onnxruntime-cpu", trees, request);
      assertFalse(overTriton.isEmpty());
      assertEquals(inProcess.size(), overTriton.size());
      assertTrue(overTriton.stream().anyMatch(PipelineEvent.Disc::graded), "some disc graded");
      for (int i = 0; i < overTriton.size(); i++) {
        PipelineEvent.Disc t = overTriton.get(i);
        PipelineEvent.Disc e = inProcess.get(i);
        assertEquals(e.geometry(), t.geometry());
        assertEquals(e.graded(), t.graded());
        if (e.graded()) {
          assertArrayEquals(e.cnn().orElseThrow(), t.cnn().orElseThrow(), t.level().toString());
          assertArrayEquals(e.ensemble().orElseThrow().probabilities(),
              t.ensemble().orElseThrow().probabilities());
        }
        assertEquals(e.decision(), t.decision());
      }
    }
  }

  private static List<PipelineEvent.Disc> discs(Vertx vertx, InferenceBackend backend,
      String label, XgbTreeGrader trees, AnalysisRequest request) throws Exception {
    List<PipelineEvent> events = new CopyOnWriteArrayList<>();
    await(new AnalysisPipeline(vertx, backend, label, trees, PipelineOptions.defaults())
        .analyze(request, events::add));
    return events.stream().filter(PipelineEvent.Disc.class::isInstance)
        .map(PipelineEvent.Disc.class::cast)
        .sorted(java.util.Comparator.comparingDouble(d -> d.geometry().centroidY()))
        .toList();
  }
}
