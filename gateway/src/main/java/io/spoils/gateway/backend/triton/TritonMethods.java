package io.spoils.gateway.backend.triton;

import com.google.protobuf.MessageLite;
import io.spoils.proto.inference.ModelInferRequest;
import io.spoils.proto.inference.ModelInferResponse;
import io.spoils.proto.inference.ModelMetadataRequest;
import io.spoils.proto.inference.ModelMetadataResponse;
import io.spoils.proto.inference.ModelReadyRequest;
import io.spoils.proto.inference.ModelReadyResponse;
import io.spoils.proto.inference.ServerReadyRequest;
import io.spoils.proto.inference.ServerReadyResponse;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;

/**
 * The client side of the KServe v2 RPCs the gateway uses, built from the service name
 * {@code inference.GRPCInferenceService} and the generated protobuf messages (no gRPC codegen).
 */
public final class TritonMethods {

  /** Triton's gRPC service. */
  public static final ServiceName SERVICE = ServiceName.create("inference", "GRPCInferenceService");

  public static final ServiceMethod<ServerReadyResponse, ServerReadyRequest> SERVER_READY =
      method("ServerReady", ServerReadyResponse.getDefaultInstance());
  public static final ServiceMethod<ModelReadyResponse, ModelReadyRequest> MODEL_READY =
      method("ModelReady", ModelReadyResponse.getDefaultInstance());
  public static final ServiceMethod<ModelMetadataResponse, ModelMetadataRequest> MODEL_METADATA =
      method("ModelMetadata", ModelMetadataResponse.getDefaultInstance());
  public static final ServiceMethod<ModelInferResponse, ModelInferRequest> MODEL_INFER =
      method("ModelInfer", ModelInferResponse.getDefaultInstance());

  private TritonMethods() {
  }

  private static <Q extends MessageLite, R extends com.google.protobuf.Message> ServiceMethod<R, Q>
      method(String name, R responsePrototype) {
    GrpcMessageEncoder<Q> encoder = GrpcMessageEncoder.encoder();
    GrpcMessageDecoder<R> decoder = GrpcMessageDecoder.decoder(responsePrototype);
    return ServiceMethod.client(SERVICE, name, encoder, decoder);
  }
}
