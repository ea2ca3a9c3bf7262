package io.spoils.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.backend.ModelProvenance;
import io.spoils.gateway.backend.ModelRepository;
import io.spoils.gateway.backend.OnnxRuntimeBackend;
import io.spoils.gateway.backend.OnnxRuntimeOptions;
import io.spoils.gateway.backend.simulated.SimulatedBackend;
import io.spoils.gateway.backend.simulated.SimulatedOptions;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.testing.DefaultTrees;
import io.spoils.proto.v1.AnalysisEvent;
import io.spoils.proto.v1.AnalysisServiceGrpc;
import io.spoils.proto.v1.ListModelsRequest;
import io.spoils.proto.v1.ModelInfo;
import io.spoils.proto.v1.ModelRole;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code ModelInfo.provenance} in every answer that lists models: gRPC {@code ListModels},
 * {@code GET /v1/models} and the summary event, for the embedded backend (a model repository) and
 * the simulated one, and for the trees.
 */
@ExtendWith(VertxExtension.class)
@ExtendWith(DefaultTrees.class)
class ModelProvenanceEndpointsTest {

  private static XgbTreeGrader trees;
  private static String treesProvenance;
  @RegisterExtension
  final StartedServer servers = new StartedServer();
  private TestServer server;

  @BeforeAll
  static void load(XgbTreeGrader defaultTrees) {
    trees = defaultTrees;
    treesProvenance = ModelProvenance.ofTrees(trees.info());
  }

  /** name -&gt; provenance of ListModels over gRPC, checked equal to {@code GET /v1/models}. */
  private Map<String, String> listed() throws Exception {
    List<ModelInfo> grpc = AnalysisServiceGrpc.newBlockingStub(server.channel)
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .listModels(ListModelsRequest.getDefaultInstance()).getModelsList();
    Map<String, String> out = new TreeMap<>();
    grpc.forEach(m -> out.put(m.getName(), m.getProvenance()));
    Map<String, String> http = new TreeMap<>();
    new JsonObject(server.get("/v1/models").body()).getJsonArray("models").stream()
        .map(JsonObject.class::cast)
        .forEach(m -> http.put(m.getString("name"), m.getString("provenance")));
    assertEquals(out, http, "gRPC and HTTP list the same provenance");
    assertTrue(grpc.stream().anyMatch(m -> m.getRole() == ModelRole.MODEL_ROLE_DISC_GRADING_TREES
        && m.getProvenance().equals(treesProvenance)), grpc.toString());
    return out;
  }

  @Test
  void listModels_embeddedBackend_repositoryProvenanceOverGrpcAndHttp(Vertx vertx)
      throws Exception {
    Path root = Path.of(getClass().getResource("/backend/repository").toURI());
    ModelRepository repository = ModelRepository.load(root);
    OnnxRuntimeBackend backend = new OnnxRuntimeBackend(vertx, repository,
        OnnxRuntimeOptions.defaults());
    try {
      server = servers.start(vertx, backend, ServerOptions.defaults());
      Map<String, String> listed = listed();
      assertTrue(treesProvenance.startsWith("trained on SPIDER"), treesProvenance);
      for (String name : repository.models().keySet()) {
        String expected = repository.provenance(name).orElseThrow();
        assertEquals(expected, listed.get(name));
        // the test models have no card: said so, with the digest of the served file
        assertTrue(expected.matches("no model card \\(repository/" + name
            + "/MODEL_CARD.md\\), sha256 [0-9a-f]{12}"), expected);
      }
    } finally {
      SpoilsServerTest.await(backend.close());
    }
  }

  @Test
  void summary_simulatedBackend_everyModelSaysWhereItComesFrom(Vertx vertx) throws Exception {
    server = servers.start(vertx, new SimulatedBackend(vertx, SimulatedOptions.of(0, 0)),
        ServerOptions.defaults());
    Map<String, String> listed = listed();
    List<AnalysisEvent> events = new ArrayList<>();
    AnalysisServiceGrpc.newBlockingStub(server.channel).withDeadlineAfter(60, TimeUnit.SECONDS)
        .analyze(GatedServer.request(TestDicom.example())).forEachRemaining(events::add);
    AnalysisEvent last = events.get(events.size() - 1);
    assertTrue(last.hasSummary(), last.toString());
    Map<String, String> summary = new TreeMap<>();
    last.getSummary().getModelsList().forEach(m -> summary.put(m.getName(), m.getProvenance()));
    assertEquals(listed, summary, "the summary names the same provenance as ListModels");
    assertEquals(3, summary.size());
    summary.forEach((name, provenance) -> assertEquals(
        name.equals(trees.info().name()) ? treesProvenance : SimulatedBackend.PROVENANCE,
        provenance, name));
  }
}
