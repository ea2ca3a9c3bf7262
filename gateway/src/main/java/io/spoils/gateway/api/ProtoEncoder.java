package io.spoils.gateway.api;

import io.spoils.gateway.service.AnalysisContext;
import io.spoils.gateway.service.EventEncoder;
import io.spoils.gateway.service.ServedModel;
import io.spoils.proto.v1.AnalysisEvent;
import io.spoils.proto.v1.ListModelsResponse;
import io.spoils.proto.v1.ModelInfo;
import io.spoils.proto.v1.ModelRole;
import java.util.List;

/**
 * The public API's output format: each pipeline event as a {@code spoils.v1.AnalysisEvent}
 * ({@link ProtoEvents}), written by gRPC as is, by HTTP in the proto JSON mapping as NDJSON lines
 * or SSE events, and kept by the C-STORE listener's results; and the served models as
 * {@code ListModelsResponse}.
 */
public final class ProtoEncoder {

  /** Opens the proto encoder of one analysis. */
  public static final EventEncoder.Factory<AnalysisEvent> FORMAT = ProtoEncoder::open;

  private ProtoEncoder() {}

  private static EventEncoder<AnalysisEvent> open(AnalysisContext analysis) {
    ProtoEvents events = new ProtoEvents(analysis.analysisId(), analysis.receivedNanos(),
        analysis.maxContributions(), analysis.provenance());
    return events::next;
  }

  /** {@code ListModels}' answer. */
  public static ListModelsResponse models(List<ServedModel> models) {
    ListModelsResponse.Builder out = ListModelsResponse.newBuilder();
    for (ServedModel m : models) {
      out.addModels(ModelInfo.newBuilder().setName(m.name()).setVersion(m.version())
          .setRole(m.role().map(ProtoEvents::role).orElse(ModelRole.MODEL_ROLE_UNSPECIFIED))
          .setBackend(m.backend()).setProvenance(m.provenance()));
    }
    return out.build();
  }
}
