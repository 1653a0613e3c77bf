/*
 * The closed sets of label values: every label of the contract whose values are known in
 * advance is a const tuple here (and `STATUS_CLASSES` beside `statusClass`). The metric
 * definitions name them (`values`), so recording any other value is a type error; the
 * README's "Label values" table, the dashboards and the alert rules are tested against them.
 */

/** `result` of `lbpoc_health_checks_total`: the check answered 2xx in time (`pass`) or not (`fail`: an error status, a refused connection, a timeout). */
export const HEALTH_CHECK_RESULTS = ['pass', 'fail'] as const;
export type HealthCheckResult = (typeof HEALTH_CHECK_RESULTS)[number];

/** `reason` of `lbpoc_backend_ejections_total`: passive outlier detection saw consecutive failed requests (connect failures, timeouts or 5xx). */
export const EJECTION_REASONS = ['consecutive_failures'] as const;
export type EjectionReason = (typeof EJECTION_REASONS)[number];

/**
 * `reason` of `lbpoc_retries_total`: why a request went to a second backend.
 * `connect_failure`: the first backend was never reached (refused, unreachable, connect
 * timeout), so any method may be retried; `reset`: the connection broke after the request
 * may have been sent, so only idempotent methods are retried.
 */
export const RETRY_REASONS = ['connect_failure', 'reset'] as const;
export type RetryReason = (typeof RETRY_REASONS)[number];

/**
 * `reason` of `lbpoc_rejected_requests_total`: requests (or connections) the balancer
 * refused itself, before any backend was chosen, and WebSockets it closed for being idle.
 */
export const REJECTION_REASONS = [
  'unknown_algorithm',
  'rate_limited',
  'body_too_large',
  'headers_too_large',
  'request_timeout',
  'bad_request',
  'too_many_connections',
  'too_many_connections_per_client',
  'websocket_idle',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** `choice` of `lbpoc_adaptive_decisions_total`: the algorithms the adaptive selector delegates to (`@lbpoc/algorithms`' `AdaptiveChoice`). */
export const ADAPTIVE_CHOICES = ['round_robin', 'weighted_round_robin', 'least_connections', 'prequal'] as const;
export type AdaptiveChoice = (typeof ADAPTIVE_CHOICES)[number];

/**
 * `result` of `lbpoc_load_probes_total`: a probe of a backend's load endpoint answered with
 * a usable load report (`ok`), answered without one (`unusable`: another status, no or a
 * malformed `endpoint-load-metrics` header), or did not answer in time (`failed`).
 */
export const LOAD_PROBE_RESULTS = ['ok', 'unusable', 'failed'] as const;
export type LoadProbeResult = (typeof LOAD_PROBE_RESULTS)[number];

/**
 * `fault` of `lbpoc_algorithm_faults_total` (`@lbpoc/algorithms`' `PLUGIN_FAULTS`): an
 * algorithm plugin's pick threw, answered a server it was not given, or none while some
 * had weight (each such request was served by a built-in instead), or its observe threw.
 */
export const ALGORITHM_FAULTS = ['pick_threw', 'foreign_pick', 'no_pick', 'observe_threw'] as const;
export type AlgorithmFault = (typeof ALGORITHM_FAULTS)[number];
