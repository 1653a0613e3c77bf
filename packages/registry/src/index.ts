export type { Backend, BackendCounters, BackendStatus, HealthChangeDetail, HealthChangeReason, RequestOutcome } from './backend.js';
export { type BackendAddress, backendId, isValidWeight, MAX_WEIGHT, validateBackendAddresses } from './backend-address.js';
export { BackendPool, type BackendPoolEventMap, type ReleaseResult } from './backend-pool.js';
export { type Clock, systemClock } from './clock.js';
export type { DiscoverySource } from './discovery-source.js';
export {
  BACKEND_SERVERS_SYNTAX,
  InvalidBackendError,
  InvalidBackendServersError,
  InvalidPoolOptionError,
  PoolClosedError,
  UnknownBackendError,
} from './errors.js';
export { parseBackendServers } from './parse-backend-servers.js';
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
} from './pool-options.js';
export { StaticSource } from './static-source.js';
export type { TypedEventTarget } from './typed-event-target.js';
