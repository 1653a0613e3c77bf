import type { Gauge, Histogram, Registry } from 'prom-client';
import { createAppRegistry } from './create-app-registry.js';
import { defineCounter, defineGauge, defineHistogram, type LabelledCounter, type LabelSetOf, type LabelsOf } from './define-metric.js';
import { LATENCY_BUCKETS } from './latency-buckets.js';
import { BACKEND_METRICS } from './metric-definitions.js';
import type { MetricsOptions } from './metrics-options.js';

type B = typeof BACKEND_METRICS;

/** The demo backend's metrics, each registered only in `registry`. */
export interface BackendMetrics {
  /** This app's own registry: serve it on `/metrics`. */
  readonly registry: Registry;
  /** `lbpoc_backend_requests_total{server_id,route,status_class}`; `route` a name from a small fixed set, never a raw path; `statusClass(code)`. */
  readonly requestsTotal: LabelledCounter<LabelSetOf<B['requestsTotal']>>;
  /** `lbpoc_backend_request_duration_seconds{server_id,route}`. */
  readonly requestDuration: Histogram<LabelsOf<B['requestDuration']>>;
  /** `lbpoc_backend_requests_in_flight{server_id}`. */
  readonly inFlight: Gauge<LabelsOf<B['inFlight']>>;
}

/**
 * Creates the backend's metric set on a new registry of its own (with Node.js default
 * metrics unless `defaultMetrics: false`). Call it once per backend process.
 */
export function createBackendMetrics(options: MetricsOptions = {}): BackendMetrics {
  const registry = createAppRegistry(options);
  const m = BACKEND_METRICS;
  return {
    registry,
    requestsTotal: defineCounter(m.requestsTotal, registry),
    requestDuration: defineHistogram(m.requestDuration, registry, options.buckets ?? LATENCY_BUCKETS),
    inFlight: defineGauge(m.inFlight, registry),
  };
}
