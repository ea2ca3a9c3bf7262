package io.spoils.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.backend.ModelRepository;
import io.spoils.gateway.backend.OnnxRuntimeBackend;
import io.spoils.gateway.backend.OnnxRuntimeOptions;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.pipeline.AnalysisPipeline;
import io.spoils.gateway.service.AnalysisService;
import io.spoils.gateway.testing.ExampleBackend;
import io.spoils.gateway.testing.RealModels;
import io.spoils.proto.v1.AnalysisEvent;
import io.spoils.proto.v1.AnalysisServiceGrpc;
import io.spoils.proto.v1.AnalyzeRequest;
import io.spoils.proto.v1.DicomFile;
import io.spoils.proto.v1.DicomFiles;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** End to end: gRPC client -&gt; server -&gt; the real models of triton-models/ on ONNX Runtime. */
@ExtendWith(VertxExtension.class)
class RealModelServerTest {

  static final Path MODELS = Path.of("../triton-models");

  @Test
  void grpcAnalyze_realModelsStreamToSummary(Vertx vertx) throws Exception {
    for (String m : List.of(AnalysisPipeline.SEGMENTATION_MODEL, AnalysisPipeline.GRADING_MODEL)) {
      Assumptions.assumeTrue(RealModels.present(MODELS, m),
          "triton-models/" + m + " has no model.onnx (model not trained/merged yet)");
      Assumptions.assumeFalse(ModelRepository.load(MODELS).untrained(m),
          "triton-models/" + m + " has untrained weights: no real results to stream yet");
    }
    OnnxRuntimeBackend backend = new OnnxRuntimeBackend(vertx, ModelRepository.load(MODELS),
        OnnxRuntimeOptions.defaults());
    ManagedChannel channel = null;
    SpoilsServer server = null;
    try (XgbTreeGrader trees = XgbTreeGrader.loadDefault()) {
      SpoilsServerTest.await(backend.ready());
      server = SpoilsServerTest.await(SpoilsServer.start(vertx, new AnalysisService(vertx,
          backend, "onnxruntime-cpu", trees,
          ServerOptions.defaults().withHost("127.0.0.1").withPort(0))));
      channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext()
          .build();
      byte[] slice = Files.readAllBytes(ExampleBackend.EXAMPLE.resolve("slice.dcm"));
      List<AnalysisEvent> events = new ArrayList<>();
      AnalysisServiceGrpc.newBlockingStub(channel).withDeadlineAfter(120, TimeUnit.SECONDS)
          .analyze(AnalyzeRequest.newBuilder().setFiles(DicomFiles.newBuilder().addFiles(
              DicomFile.newBuilder().setContent(ByteString.copyFrom(slice)))).build())
          .forEachRemaining(events::add);
      assertTrue(events.get(0).hasAccepted());
      AnalysisEvent last = events.get(events.size() - 1);
      assertTrue(last.hasSummary());
      int firstDisc = indexOf(events, AnalysisEvent::hasDisc);
      assertTrue(firstDisc > 0 && firstDisc < events.size() - 1);
      assertTrue(last.getSummary().getDiscsGraded() > 0);
      assertEquals("onnxruntime-cpu", last.getSummary().getModels(0).getBackend());
    } finally {
      if (channel != null) {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      if (server != null) {
        SpoilsServerTest.await(server.close());
      }
      SpoilsServerTest.await(backend.close());
    }
  }

  private static int indexOf(List<AnalysisEvent> events,
      java.util.function.Predicate<AnalysisEvent> p) {
    for (int i = 0; i < events.size(); i++) {
      if (p.test(events.get(i))) {
        return i;
      }
    }
    return -1;
  }
}
