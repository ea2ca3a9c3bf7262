/**
 * Inference backends for the GPU models: the non-blocking
 * {@link io.spoils.gateway.backend.InferenceBackend} API with backend-neutral errors
 * ({@link io.spoils.gateway.backend.BackendException}, {@link io.spoils.gateway.backend.BackendStatus}),
 * the Triton model repository reader ({@link io.spoils.gateway.backend.ModelRepository}) and the
 * embedded ONNX Runtime backend ({@link io.spoils.gateway.backend.OnnxRuntimeBackend}), which serves
 * the same repository in process on its own bounded worker pool.
 */
package io.spoils.gateway.backend;
