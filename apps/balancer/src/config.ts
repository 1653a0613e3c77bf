import { ALGORITHM_NAMES, type AlgorithmName } from '@lbpoc/algorithms';
import type { BackendAddress, BackendPoolOptions } from '@lbpoc/registry';
import { AdminToken } from './admin-token.js';
import { ConfigError } from './config-error.js';
import { type DiscoveryConfig, readDiscoveryConfig } from './discovery-config.js';
import { EnvReader } from './env-reader.js';
import { type FrontDoorConfig, readFrontDoorConfig } from './front-door-config.js';
import { TrustedProxies } from './trusted-proxies.js';
import { readWorkers } from './workers/worker-count.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Everything the balancer needs, validated. Built only by `loadConfig`. */
export interface BalancerConfig {
  /** `DISCOVERY`: static (`BACKEND_SERVERS`) or Docker labels. */
  readonly discovery: DiscoveryConfig;
  /** The static backends (`BACKEND_SERVERS`); empty with Docker discovery. */
  readonly backends: readonly BackendAddress[];
  /** `DEFAULT_ALGORITHM`; `adaptive` when unset. */
  readonly defaultAlgorithm: AlgorithmName;
  readonly host: string;
  readonly port: number;
  readonly metricsHost: string;
  readonly metricsPort: number;
  readonly trustedProxies: TrustedProxies;
  readonly pool: BackendPoolOptions;
  /** No byte from a backend for this long: 504. */
  readonly upstreamTimeoutMs: number;
  /** No TCP connection to a backend within this time: a connect failure (retried elsewhere). */
  readonly connectTimeoutMs: number;
  /** After SIGTERM, in-flight requests get this long to finish. */
  readonly shutdownTimeoutMs: number;
  readonly logLevel: LogLevel;
  /** `WORKERS`: threads serving the traffic port (1: this thread alone; more: a primary and that many workers). */
  readonly workers: number;
  /** Limits, rate limiting and TLS on the traffic port. */
  readonly frontDoor: FrontDoorConfig;
  /** `ADMIN_TOKEN`; undefined: the admin API's write routes are disabled. */
  readonly adminToken: AdminToken | undefined;
}

const DAY_MS = 86_400_000;

/**
 * Reads and validates every variable (see the README's table). Throws one `ConfigError`
 * listing every bad variable with its value and what is allowed.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): BalancerConfig {
  const read = new EnvReader(env);

  const discovery = readDiscoveryConfig(read);

  let trustedProxies = new TrustedProxies([]);
  try {
    trustedProxies = TrustedProxies.parse(read.raw('TRUSTED_PROXIES'));
  } catch (error) {
    read.problem('TRUSTED_PROXIES', `comma-separated IP addresses or CIDR ranges; ${(error as Error).message}`);
  }

  const healthChecks = read.oneOf('HEALTH_CHECKS', ['on', 'off'], 'on');
  const config: BalancerConfig = {
    discovery,
    backends: discovery.kind === 'static' ? discovery.backends : [],
    defaultAlgorithm: read.oneOf('DEFAULT_ALGORITHM', ALGORITHM_NAMES, 'adaptive'),
    host: read.raw('HOST') ?? '0.0.0.0',
    port: read.integer('PORT', 5000, 0, 65535),
    metricsHost: read.raw('METRICS_HOST') ?? '0.0.0.0',
    metricsPort: read.integer('METRICS_PORT', 8000, 0, 65535),
    trustedProxies,
    pool: {
      healthCheck:
        healthChecks === 'off'
          ? false
          : {
              path: read.path('HEALTH_CHECK_PATH', '/health'),
              intervalMs: read.integer('HEALTH_CHECK_INTERVAL_MS', 2000, 100, DAY_MS),
              timeoutMs: read.integer('HEALTH_CHECK_TIMEOUT_MS', 1000, 10, DAY_MS),
              rise: read.integer('HEALTH_CHECK_RISE', 2, 1, 100),
              fall: read.integer('HEALTH_CHECK_FALL', 3, 1, 100),
            },
      outlierDetection: {
        consecutiveConnectFailures: read.integer('EJECT_AFTER_CONNECT_FAILURES', 3, 0, 1000),
        consecutive5xx: read.integer('EJECT_AFTER_5XX', 5, 0, 1000),
        baseEjectionMs: read.integer('EJECTION_BASE_MS', 5000, 1, DAY_MS),
        maxEjectionMs: read.integer('EJECTION_MAX_MS', 60_000, 1, DAY_MS),
      },
      panicThreshold: read.fraction('PANIC_THRESHOLD', 0.5),
      slowStartMs: read.integer('SLOW_START_MS', 10_000, 0, DAY_MS),
    },
    upstreamTimeoutMs: read.integer('UPSTREAM_TIMEOUT_MS', 30_000, 1, DAY_MS),
    connectTimeoutMs: read.integer('CONNECT_TIMEOUT_MS', 3000, 1, DAY_MS),
    shutdownTimeoutMs: read.integer('SHUTDOWN_TIMEOUT_MS', 10_000, 0, DAY_MS),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    workers: readWorkers(read),
    frontDoor: readFrontDoorConfig(read),
    adminToken: AdminToken.read(read),
  };
  const outliers = config.pool.outlierDetection;
  // The pool would refuse this at start; caught here it is a ConfigError naming the variable.
  if (outliers && outliers.maxEjectionMs! < outliers.baseEjectionMs!) {
    read.problem('EJECTION_MAX_MS', `at least EJECTION_BASE_MS (${outliers.baseEjectionMs}), up to ${DAY_MS}`);
  }
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}
