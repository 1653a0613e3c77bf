/**
 * The metric set of lbpoc, in one place: every name, type, label set and help text that
 * the balancer and the backend emit. Dashboards, alert rules and the README table are
 * written against this file, so a change here is a change to a public contract (a
 * renamed metric or label silently empties every panel that used the old one).
 *
 * Label values are bounded by design: algorithm wire names, backend ids (`host:port`),
 * status classes, the backend's few route names and the closed sets of
 * `label-values.ts` (`values` below). Raw paths and client addresses never become label
 * values, because each distinct value is a new time series that Prometheus keeps in memory.
 */

import {
  ADAPTIVE_CHOICES,
  ALGORITHM_FAULTS,
  EJECTION_REASONS,
  HEALTH_CHECK_RESULTS,
  LOAD_PROBE_RESULTS,
  REJECTION_REASONS,
  RETRY_REASONS,
} from './label-values.js';
import { STATUS_CLASSES } from './status-class.js';

/** The Prometheus metric types this package uses. */
export type MetricType = 'counter' | 'gauge' | 'histogram';

/** Which app emits a metric (its own registry, scraped on that app's metrics port). */
export type MetricEmitter = 'balancer' | 'backend';

/** One metric of the contract. */
export interface MetricDefinition {
  readonly name: string;
  readonly type: MetricType;
  readonly labels: readonly string[];
  /**
   * The labels whose values are a closed set, each with its tuple (`RETRY_REASONS`, ...).
   * The metric objects accept only those values; the other labels take any bounded string.
   */
  readonly values?: { readonly [label: string]: readonly string[] };
  readonly help: string;
  readonly emitter: MetricEmitter;
}

/** The balancer's metrics, keyed by the property name `createBalancerMetrics` returns them under. */
export const BALANCER_METRICS = {
  requestsTotal: {
    name: 'lbpoc_requests_total',
    type: 'counter',
    labels: ['algorithm', 'backend', 'status_class'],
    values: { status_class: STATUS_CLASSES },
    help: 'Requests proxied to a backend, by algorithm, backend and response status class.',
    emitter: 'balancer',
  },
  requestDuration: {
    name: 'lbpoc_request_duration_seconds',
    type: 'histogram',
    labels: ['algorithm', 'backend'],
    help: 'Seconds from the balancer receiving a request to the response being finished.',
    emitter: 'balancer',
  },
  inFlight: {
    name: 'lbpoc_backend_in_flight',
    type: 'gauge',
    labels: ['backend'],
    help: 'Requests the balancer has outstanding on a backend right now.',
    emitter: 'balancer',
  },
  backendUp: {
    name: 'lbpoc_backend_up',
    type: 'gauge',
    labels: ['backend'],
    help: 'Whether the balancer considers a backend healthy (1) or not (0).',
    emitter: 'balancer',
  },
  backendWeight: {
    name: 'lbpoc_backend_weight',
    type: 'gauge',
    labels: ['backend'],
    help: 'Effective weight of a backend as the algorithms see it (0 when drained).',
    emitter: 'balancer',
  },
  retriesTotal: {
    name: 'lbpoc_retries_total',
    type: 'counter',
    labels: ['algorithm', 'reason'],
    values: { reason: RETRY_REASONS },
    help: 'Requests retried on another backend, by algorithm and reason.',
    emitter: 'balancer',
  },
  adaptiveDecisionsTotal: {
    name: 'lbpoc_adaptive_decisions_total',
    type: 'counter',
    labels: ['choice'],
    values: { choice: ADAPTIVE_CHOICES },
    help: 'Algorithm the adaptive selector delegated a request to.',
    emitter: 'balancer',
  },
  noBackendTotal: {
    name: 'lbpoc_no_backend_total',
    type: 'counter',
    labels: ['algorithm'],
    help: 'Requests answered 503 because no healthy backend was available.',
    emitter: 'balancer',
  },
  rejectedRequestsTotal: {
    name: 'lbpoc_rejected_requests_total',
    type: 'counter',
    labels: ['reason'],
    values: { reason: REJECTION_REASONS },
    help: 'Requests the balancer refused before choosing a backend, by reason.',
    emitter: 'balancer',
  },
  backendEjectionsTotal: {
    name: 'lbpoc_backend_ejections_total',
    type: 'counter',
    labels: ['backend', 'reason'],
    values: { reason: EJECTION_REASONS },
    help: 'Times a backend was taken out of rotation, by reason.',
    emitter: 'balancer',
  },
  healthChecksTotal: {
    name: 'lbpoc_health_checks_total',
    type: 'counter',
    labels: ['backend', 'result'],
    values: { result: HEALTH_CHECK_RESULTS },
    help: 'Active health checks run against a backend, by result.',
    emitter: 'balancer',
  },
  panicMode: {
    name: 'lbpoc_panic_mode',
    type: 'gauge',
    labels: [],
    help: 'Whether the balancer is in panic mode (1), routing to all backends because too few are healthy, or not (0).',
    emitter: 'balancer',
  },
  buildInfo: {
    name: 'lbpoc_build_info',
    type: 'gauge',
    labels: ['version'],
    help: 'Always 1; the version label says which build of the balancer is running.',
    emitter: 'balancer',
  },
  workers: {
    name: 'lbpoc_workers',
    type: 'gauge',
    labels: [],
    help: 'Worker threads serving the traffic port right now (1 without worker threads).',
    emitter: 'balancer',
  },
  workerRestartsTotal: {
    name: 'lbpoc_worker_restarts_total',
    type: 'counter',
    labels: [],
    help: 'Worker threads that ended unexpectedly (or were restarted through the admin API) and were replaced.',
    emitter: 'balancer',
  },
  loadProbesTotal: {
    name: 'lbpoc_load_probes_total',
    type: 'counter',
    labels: ['backend', 'result'],
    values: { result: LOAD_PROBE_RESULTS },
    help: "Probes of a backend's load endpoint (for the load-aware algorithms), by result.",
    emitter: 'balancer',
  },
  backendLoadReportAge: {
    name: 'lbpoc_backend_load_report_age_seconds',
    type: 'gauge',
    labels: ['backend'],
    help: 'Age of the newest load report from a backend (a probe answer or a response header); absent for a backend that never reported.',
    emitter: 'balancer',
  },
  backendReportedInFlight: {
    name: 'lbpoc_backend_reported_in_flight',
    type: 'gauge',
    labels: ['backend'],
    help: "Requests in flight on a backend as the backend itself last reported them (every client's, not only this balancer's).",
    emitter: 'balancer',
  },
  algorithmGauge: {
    name: 'lbpoc_algorithm_gauge',
    type: 'gauge',
    labels: ['algorithm', 'gauge'],
    help: 'A number an algorithm plugin reports about itself, under a gauge name the plugin declares (with workers, the average over them).',
    emitter: 'balancer',
  },
  algorithmFaultsTotal: {
    name: 'lbpoc_algorithm_faults_total',
    type: 'counter',
    labels: ['algorithm', 'fault'],
    values: { fault: ALGORITHM_FAULTS },
    help: "Faults of an algorithm plugin's code, by kind; a failed pick is made by a built-in instead, so the request is still served.",
    emitter: 'balancer',
  },
} as const satisfies Record<string, MetricDefinition>;

/** The backend's metrics, keyed by the property name `createBackendMetrics` returns them under. */
export const BACKEND_METRICS = {
  requestsTotal: {
    name: 'lbpoc_backend_requests_total',
    type: 'counter',
    labels: ['server_id', 'route', 'status_class'],
    values: { status_class: STATUS_CLASSES },
    help: 'Requests a backend answered, by server id, route name and response status class.',
    emitter: 'backend',
  },
  requestDuration: {
    name: 'lbpoc_backend_request_duration_seconds',
    type: 'histogram',
    labels: ['server_id', 'route'],
    help: 'Seconds a backend took from receiving a request to finishing its response, simulated delay included.',
    emitter: 'backend',
  },
  inFlight: {
    name: 'lbpoc_backend_requests_in_flight',
    type: 'gauge',
    labels: ['server_id'],
    help: 'Requests a backend is handling right now.',
    emitter: 'backend',
  },
} as const satisfies Record<string, MetricDefinition>;

type NameOf<T extends Record<string, MetricDefinition>> = T[keyof T]['name'];

/** A metric name the balancer emits. */
export type BalancerMetricName = NameOf<typeof BALANCER_METRICS>;
/** A metric name the backend emits. */
export type BackendMetricName = NameOf<typeof BACKEND_METRICS>;
/** Any metric name of the contract. */
export type MetricName = BalancerMetricName | BackendMetricName;

/** Every metric definition, balancer first, in the order the README documents them. */
export const METRIC_DEFINITIONS: readonly MetricDefinition[] = [...Object.values(BALANCER_METRICS), ...Object.values(BACKEND_METRICS)];

/** The balancer's metric names. */
export const BALANCER_METRIC_NAMES = Object.values(BALANCER_METRICS).map((definition) => definition.name) as readonly BalancerMetricName[];

/** The backend's metric names. */
export const BACKEND_METRIC_NAMES = Object.values(BACKEND_METRICS).map((definition) => definition.name) as readonly BackendMetricName[];

/**
 * Every metric name of the contract: what tests, dashboards and alert rules check
 * their queries against. Excludes prom-client's default process and Node.js metrics.
 */
export const METRIC_NAMES: readonly MetricName[] = [...BALANCER_METRIC_NAMES, ...BACKEND_METRIC_NAMES];
