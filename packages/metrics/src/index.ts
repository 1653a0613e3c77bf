// prom-client's types, so users of the factories can annotate without importing prom-client themselves.
export type { Counter, Gauge, Histogram, Registry } from 'prom-client';
export { type BackendMetrics, createBackendMetrics } from './backend-metrics.js';
export { type AlgorithmGaugeSource, type BalancerMetrics, type BalancerMetricsOptions, createBalancerMetrics } from './balancer-metrics.js';
export type { LabelledCounter } from './define-metric.js';
export {
  ADAPTIVE_CHOICES,
  type AdaptiveChoice,
  ALGORITHM_FAULTS,
  type AlgorithmFault,
  EJECTION_REASONS,
  type EjectionReason,
  HEALTH_CHECK_RESULTS,
  type HealthCheckResult,
  LOAD_PROBE_RESULTS,
  type LoadProbeResult,
  REJECTION_REASONS,
  RETRY_REASONS,
  type RejectionReason,
  type RetryReason,
} from './label-values.js';
export { LATENCY_BUCKETS } from './latency-buckets.js';
export {
  BACKEND_METRIC_NAMES,
  BACKEND_METRICS,
  BALANCER_METRIC_NAMES,
  BALANCER_METRICS,
  type BackendMetricName,
  type BalancerMetricName,
  METRIC_DEFINITIONS,
  METRIC_NAMES,
  type MetricDefinition,
  type MetricEmitter,
  type MetricName,
  type MetricType,
} from './metric-definitions.js';
export { type MetricsSource, metricsHandler } from './metrics-handler.js';
export type { MetricsOptions } from './metrics-options.js';
export { MetricsServerError } from './metrics-server-error.js';
export { type MetricsServer, type ServeMetricsOptions, serveMetrics } from './serve-metrics.js';
export { STATUS_CLASSES, type StatusClass, statusClass } from './status-class.js';
