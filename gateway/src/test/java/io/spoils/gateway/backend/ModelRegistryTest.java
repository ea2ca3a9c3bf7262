package io.spoils.gateway.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.gateway.backend.simulated.SimulatedBackend;
import io.spoils.gateway.backend.simulated.SimulatedOptions;
import io.spoils.gateway.pipeline.AnalysisPipeline;
import io.spoils.gateway.pipeline.ModelUse;
import io.spoils.proto.v1.ModelRole;
import io.vertx.core.Vertx;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ModelRegistryTest {

  @Test
  void roles_sameNamesAsPipelineAndProto() {
    for (io.spoils.gateway.backend.ModelRole r : io.spoils.gateway.backend.ModelRole.values()) {
      assertEquals(r.name(), ModelUse.Role.valueOf(r.name()).name());
      assertEquals("MODEL_ROLE_" + r.name(), ModelRole.valueOf("MODEL_ROLE_" + r.name()).name());
    }
    assertEquals(ModelUse.Role.values().length,
        io.spoils.gateway.backend.ModelRole.values().length);
  }

  @Test
  void backendModels_namesAsThePipelineCallsThem() {
    assertEquals(java.util.List.of(AnalysisPipeline.SEGMENTATION_MODEL,
        AnalysisPipeline.GRADING_MODEL), ModelRegistry.backendModelNames());
    assertEquals(ModelRole.MODEL_ROLE_SEGMENTATION.name(), "MODEL_ROLE_"
        + ModelRegistry.role("spine_segmentation").orElseThrow().name());
    assertTrue(ModelRegistry.role("no_such_model").isEmpty());
  }

  @Test
  void simulatedBackend_servesTheRegisteredContracts() {
    Vertx vertx = Vertx.vertx();
    try {
      SimulatedBackend backend = new SimulatedBackend(vertx, SimulatedOptions.of(0, 0));
      assertEquals(ModelRegistry.backendModelNames(),
          backend.models().stream().map(ModelSpec::name).toList());
      for (RegisteredModel m : ModelRegistry.BACKEND_MODELS) {
        ModelSpec spec = backend.model(m.name()).orElseThrow();
        assertEquals(m.inputs(), spec.inputs(), m.name());
        assertEquals(m.outputs(), spec.outputs(), m.name());
      }
    } finally {
      vertx.close();
    }
  }

  @Test
  void contract_cropInputIs128Square() {
    TensorSpec crop = ModelRegistry.DISC_GRADING.input("crop").orElseThrow();
    assertTrue(crop.accepts(new long[] {1, 128, 128}), Arrays.toString(crop.dimsArray()));
  }
}
