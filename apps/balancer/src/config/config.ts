import { ALGORITHM_NAMES, PLUGIN_NAME_PATTERN } from '@lbpoc/algorithms';
import {
  type BackendAddress,
  type BackendPoolOptions,
  DEFAULT_HEALTH_CHECK,
  DEFAULT_OUTLIER_DETECTION,
  DEFAULT_PANIC_THRESHOLD,
  DEFAULT_SLOW_START_MS,
} from '@lbpoc/registry';
import { DAY_MS, EnvReader } from '@lbpoc/service-kit';
import { AdminToken } from '../admin/admin-token.js';
import { TrustedProxies } from '../clients/trusted-proxies.js';
import { type FrontDoorConfig, readFrontDoorConfig } from '../front-door/front-door-config.js';
import type { LoadProbeConfig } from '../load/load-prober.js';
import { readWorkers } from '../workers/worker-count.js';
import { type DiscoveryConfig, readDiscoveryConfig } from './discovery-config.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Everything the balancer needs, validated. Built only by `loadConfig`. */
export interface BalancerConfig {
  /** `DISCOVERY`: static (`BACKEND_SERVERS`) or Docker labels. */
  readonly discovery: DiscoveryConfig;
  /** The static backends (`BACKEND_SERVERS`); empty with Docker discovery. */
  readonly backends: readonly BackendAddress[];
  /** `DEFAULT_ALGORITHM`; `adaptive` when unset. A plugin's name is checked once the modules are loaded (`loadAlgorithmModules`). */
  readonly defaultAlgorithm: string;
  /** `ALGORITHM_MODULES`: algorithm plugins to load at start (paths from the working directory, or package names). */
  readonly algorithmModules: readonly string[];
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
  /** `RETRIES`: how many other backends a failed request may try when a retry is safe (0: none). */
  readonly retries: number;
  /** `LOAD_PROBE_INTERVAL_MS` and `LOAD_PROBE_PATH`: asking the backends for their load, for the load-aware algorithms. */
  readonly loadProbe: LoadProbeConfig;
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

/**
 * Each backend is asked for its load twice a second: the load-aware algorithms use a
 * report for up to a second (prequal's default), and responses refresh the reports of
 * busy backends for free. About 2 requests a second per backend per balancer.
 */
export const DEFAULT_LOAD_PROBE_INTERVAL_MS = 500;

/**
 * A failed request may try two other backends, so it survives more than one failing
 * backend: a scale-down stops several at once, before discovery has taken them out
 * (HAProxy's default is 3, Envoy's 1). Bounded so that a pool failing everywhere sees at
 * most 3x its load from retries.
 */
export const DEFAULT_RETRIES = 2;
export const MAX_RETRIES = 10;

/**
 * Reads and validates every variable (see the README's table). Throws one `ConfigError`
 * listing every bad variable with its value and what is allowed; passes each warning (a
 * deprecated variable) to `warn`. The pool's defaults are the registry's own.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>, warn: (message: string) => void = () => {}): BalancerConfig {
  const read = new EnvReader(env);
  const check = DEFAULT_HEALTH_CHECK;
  const outlier = DEFAULT_OUTLIER_DETECTION;

  const discovery = readDiscoveryConfig(read);

  let trustedProxies = new TrustedProxies([]);
  try {
    trustedProxies = TrustedProxies.parse(read.raw('TRUSTED_PROXIES'));
  } catch (error) {
    read.problem('TRUSTED_PROXIES', `comma-separated IP addresses or CIDR ranges; ${(error as Error).message}`);
  }

  const healthChecks = read.oneOf('HEALTH_CHECKS', ['on', 'off'], 'on');
  const algorithmModules = readAlgorithmModules(read);
  const config: BalancerConfig = {
    discovery,
    backends: discovery.kind === 'static' ? discovery.backends : [],
    defaultAlgorithm: readDefaultAlgorithm(read, algorithmModules),
    algorithmModules,
    host: read.host('HOST', '0.0.0.0'),
    port: read.port('PORT', 5000),
    metricsHost: read.host('METRICS_HOST', '0.0.0.0'),
    metricsPort: read.port('METRICS_PORT', 8000),
    trustedProxies,
    pool: {
      healthCheck:
        healthChecks === 'off'
          ? false
          : {
              path: read.path('HEALTH_CHECK_PATH', check.path),
              intervalMs: read.milliseconds('HEALTH_CHECK_INTERVAL_MS', check.intervalMs, 100),
              timeoutMs: read.milliseconds('HEALTH_CHECK_TIMEOUT_MS', check.timeoutMs, 10),
              rise: read.integer('HEALTH_CHECK_RISE', check.rise, 1, 100),
              fall: read.integer('HEALTH_CHECK_FALL', check.fall, 1, 100),
            },
      outlierDetection: {
        consecutiveConnectFailures: read.integer('EJECT_AFTER_CONNECT_FAILURES', outlier.consecutiveConnectFailures, 0, 1000),
        consecutive5xx: read.integer('EJECT_AFTER_5XX', outlier.consecutive5xx, 0, 1000),
        baseEjectionMs: read.milliseconds('EJECTION_BASE_MS', outlier.baseEjectionMs, 1),
        maxEjectionMs: read.milliseconds('EJECTION_MAX_MS', outlier.maxEjectionMs, 1),
      },
      panicThreshold: read.fraction('PANIC_THRESHOLD', DEFAULT_PANIC_THRESHOLD),
      slowStartMs: read.milliseconds('SLOW_START_MS', DEFAULT_SLOW_START_MS, 0),
    },
    upstreamTimeoutMs: read.milliseconds('UPSTREAM_TIMEOUT_MS', 30_000, 1),
    connectTimeoutMs: read.milliseconds('CONNECT_TIMEOUT_MS', 3000, 1),
    retries: read.integer('RETRIES', DEFAULT_RETRIES, 0, MAX_RETRIES),
    loadProbe: {
      intervalMs: read.milliseconds('LOAD_PROBE_INTERVAL_MS', DEFAULT_LOAD_PROBE_INTERVAL_MS, 0),
      path: read.path('LOAD_PROBE_PATH', '/load'),
    },
    shutdownTimeoutMs: read.milliseconds('SHUTDOWN_TIMEOUT_MS', 10_000, 0),
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
  read.throwIfProblems();
  for (const warning of read.warnings) warn(warning);
  return config;
}

/**
 * `DEFAULT_ALGORITHM`: a built-in name; with `ALGORITHM_MODULES` set, also anything that
 * could be a plugin's name, which `loadAlgorithmModules` checks once the plugins are loaded.
 */
function readDefaultAlgorithm(read: EnvReader, algorithmModules: readonly string[]): string {
  if (algorithmModules.length === 0) return read.oneOf('DEFAULT_ALGORITHM', ALGORITHM_NAMES, 'adaptive');
  const name = read.raw('DEFAULT_ALGORITHM') ?? 'adaptive';
  if (!PLUGIN_NAME_PATTERN.test(name)) read.problem('DEFAULT_ALGORITHM', `one of ${ALGORITHM_NAMES.join(', ')}, or the name of a plugin of ALGORITHM_MODULES`);
  return name;
}

/** `ALGORITHM_MODULES`: comma-separated module paths or package names; loaded (and checked) at start by `loadAlgorithmModules`. */
function readAlgorithmModules(read: EnvReader): string[] {
  const value = read.raw('ALGORITHM_MODULES');
  if (value === undefined) return [];
  const modules = value.split(',').map((entry) => entry.trim());
  if (modules.some((entry) => entry === '')) {
    read.problem('ALGORITHM_MODULES', 'comma-separated ES module paths (./my-algorithm.mjs, /opt/lb/algo.js) or package names, none empty');
    return [];
  }
  return modules;
}
