/**
 * Prometheus metrics of the gateway ({@code GET /metrics}): per-stage and per-study latency,
 * backend call latency by model and outcome, admission gauges, rejections and errors.
 */
package io.spoils.gateway.metrics;
