export { MAX_WEIGHT, backendId, isValidWeight, validateBackendAddresses, type BackendAddress } from './backend-address.js';
export { BackendPool, type BackendPoolEventMap, type ReleaseResult } from './backend-pool.js';
export type { Backend, BackendCounters, BackendStatus, HealthChangeDetail, HealthChangeReason, RequestOutcome } from './backend.js';
export { systemClock, type Clock } from './clock.js';
export type { DiscoverySource } from './discovery-source.js';
export type { DockerConnectionOptions } from './docker-api.js';
export { DOCKER_LABELS } from './docker-labels.js';
export { DockerSource } from './docker-source.js';
export type { DockerSourceEventMap, DockerStateDetail, DockerWarningDetail } from './docker-source-events.js';
export { DEFAULT_SWARM_POLL_INTERVAL_MS, type DockerSourceOptions, type ResolvedDockerSourceOptions } from './docker-source-options.js';
export {
  BACKEND_SERVERS_SYNTAX,
  DockerUnavailableError,
  InvalidBackendError,
  InvalidDockerSourceOptionError,
  InvalidBackendServersError,
  InvalidPoolOptionError,
  PoolClosedError,
  UnknownBackendError,
} from './errors.js';
export { parseBackendServers } from './parse-backend-servers.js';
export {
  DEFAULT_HEALTH_CHECK,
  DEFAULT_LATENCY_EWMA_ALPHA,
  DEFAULT_OUTLIER_DETECTION,
  DEFAULT_PANIC_THRESHOLD,
  DEFAULT_SLOW_START_MS,
  type BackendPoolOptions,
  type HealthCheckOptions,
  type OutlierDetectionOptions,
  type ResolvedPoolOptions,
} from './pool-options.js';
export { StaticSource } from './static-source.js';
