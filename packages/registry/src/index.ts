export {
  type BackendLoad,
  formatLoadReport,
  LOAD_REPORT_HEADER,
  LOAD_REPORT_NAMED_METRICS,
  MAX_LOAD_REPORT_LENGTH,
  parseLoadReport,
} from './load-reports/orca-text.js';
export { type ReportedLoad, type ReportedLoadStatus, toReportedLoad } from './load-reports/reported-load.js';
export type { Backend, BackendCounters, BackendStatus, HealthChangeDetail, HealthChangeReason, RequestOutcome } from './pool/backend.js';
export { BackendPool, type BackendPoolEventMap, type ReleaseResult } from './pool/backend-pool.js';
export {
  type BackendPoolOptions,
  DEFAULT_HEALTH_CHECK,
  DEFAULT_LATENCY_EWMA_ALPHA,
  DEFAULT_OUTLIER_DETECTION,
  DEFAULT_PANIC_THRESHOLD,
  DEFAULT_SLOW_START_MS,
  type HealthCheckOptions,
  type OutlierDetectionOptions,
  type ResolvedPoolOptions,
} from './pool/pool-options.js';
export { type BackendAddress, backendId, isValidWeight, MAX_WEIGHT, validateBackendAddresses } from './shared/backend-address.js';
export { type Clock, systemClock } from './shared/clock.js';
export {
  BACKEND_SERVERS_SYNTAX,
  InvalidBackendError,
  InvalidBackendServersError,
  InvalidPoolOptionError,
  PoolClosedError,
  UnknownBackendError,
} from './shared/errors.js';
export type { TypedEventTarget } from './shared/typed-event-target.js';
export type { DiscoverySource } from './sources/discovery-source.js';
export { parseBackendServers } from './sources/static/parse-backend-servers.js';
export { StaticSource } from './sources/static/static-source.js';
