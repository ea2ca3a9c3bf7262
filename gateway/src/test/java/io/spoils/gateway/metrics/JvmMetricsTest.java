package io.spoils.gateway.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class JvmMetricsTest {

  @Test
  void scrape_jvmAndProcessSeries() {
    GatewayMetrics metrics = new GatewayMetrics();
    try {
      String text = metrics.scrape();
      for (String series : List.of("jvm_memory_used_bytes{", "jvm_memory_max_bytes{",
          "jvm_threads_live_threads ", "jvm_classes_loaded_classes ", "jvm_gc_max_data_size_bytes ",
          "system_cpu_count ", "process_cpu_usage ", "process_uptime_seconds ",
          "process_start_time_seconds ")) {
        assertTrue(text.contains(series), series + " missing from the scrape");
      }
    } finally {
      metrics.close();
    }
  }
}
