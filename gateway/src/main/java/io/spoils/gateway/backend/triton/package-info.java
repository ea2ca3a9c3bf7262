/**
 * The Triton Inference Server backend: {@link io.spoils.gateway.backend.triton.TritonBackend}
 * speaks KServe v2 gRPC ({@code inference.GRPCInferenceService}) with the Vert.x gRPC client,
 * configured by {@link io.spoils.gateway.backend.triton.TritonOptions}.
 */
package io.spoils.gateway.backend.triton;
