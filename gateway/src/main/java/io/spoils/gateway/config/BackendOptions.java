package io.spoils.gateway.config;

import java.util.List;

/**
 * Where the models run ({@code backend}: embedded ONNX Runtime, Triton, simulated). The chosen
 * backend's own options ({@code OnnxRuntimeOptions}, {@code TritonOptions},
 * {@code SimulatedOptions}) are built from these by {@code cli.ServeCommand}.
 *
 * @param backend {@code embedded} (the default), {@code triton} or {@code simulated}
 * @param tritonHost the Triton server's host (default {@value #DEFAULT_TRITON_HOST})
 * @param tritonPort the Triton server's gRPC port, 1-65535 (default {@value #DEFAULT_TRITON_PORT})
 * @param simulatedLatencyMs the simulated backend's fixed latency per call, ms, &gt;= 0 (default
 *     {@value #DEFAULT_SIMULATED_LATENCY_MS})
 * @param simulatedJitterMs the simulated backend's random extra latency, 0 to this many ms
 *     (default 0)
 */
public record BackendOptions(ServerOptions.Backend backend, String tritonHost, int tritonPort,
    double simulatedLatencyMs, double simulatedJitterMs) {

  public static final String DEFAULT_TRITON_HOST = "localhost";
  public static final int DEFAULT_TRITON_PORT = 8001;
  public static final double DEFAULT_SIMULATED_LATENCY_MS = 20;

  /** The settings, as the README's table shows them. */
  public static final List<Setting> SETTINGS = List.of(
      Setting.of("BackendOptions", "backend", ServerOptions.Backend.EMBEDDED.value(),
          "where the models run: embedded (ONNX Runtime in process), triton or simulated"),
      Setting.of("BackendOptions", "tritonHost", DEFAULT_TRITON_HOST,
          "the Triton server's host (backend triton)"),
      Setting.of("BackendOptions", "tritonPort", DEFAULT_TRITON_PORT,
          "the Triton server's gRPC port (backend triton)"),
      Setting.of("BackendOptions", "simulatedLatencyMs", "20",
          "fixed latency of each simulated model call, ms (backend simulated)"),
      Setting.of("BackendOptions", "simulatedJitterMs", "0",
          "random extra latency of 0 to this many ms per simulated call"));
}
