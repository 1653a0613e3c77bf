import { EnvReader } from '@lbpoc/service-kit';
import { type DelaySpec, parseDelay } from './delay.js';

/** The backend's settings, validated. */
export interface BackendConfig {
  /** `SERVER_ID`: echoed in every answer and used as the `server_id` metric label. */
  readonly serverId: string;
  /** The machine's host name (in a container: the container id), echoed as `host`. */
  readonly hostname: string;
  /** `SIMULATED_DELAY`, parsed. */
  readonly delay: DelaySpec;
  /** `ERROR_RATE`: fraction of echo requests answered 500, from 0 to 1. */
  readonly errorRate: number;
  /** `HOST`: address both servers bind to. */
  readonly host: string;
  /** `PORT`: the traffic port. 0 picks a free one. */
  readonly port: number;
  /** `METRICS_PORT`: the `/metrics` port. 0 picks a free one. */
  readonly metricsPort: number;
  /** `SHUTDOWN_TIMEOUT_MS`: milliseconds to finish in-flight requests after SIGTERM before forcing. */
  readonly shutdownTimeoutMs: number;
  /** `CONCURRENCY`: echo requests worked on at once, the rest wait in order; 0 = no limit. */
  readonly concurrency: number;
}

/** What the environment cannot say for itself; passed in so `loadConfig` stays pure. */
export interface ConfigDefaults {
  readonly hostname: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

const SERVER_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const SERVER_ID_ALLOWED = '1 to 64 characters of letters, digits and . _ : - (it becomes a metric label)';
const MAX_SHUTDOWN_TIMEOUT_MS = 600_000;
const MAX_CONCURRENCY = 10_000;

/**
 * Reads and validates the backend's environment. Pure: the same env and defaults give
 * the same answer, nothing is read from the process. Throws one `ConfigError` listing
 * every bad variable, not only the first, so one restart is enough to fix them all; passes
 * each warning (a deprecated variable: `SHUTDOWN_TIMEOUT`, now `SHUTDOWN_TIMEOUT_MS`) to
 * `warn`. An empty variable counts as unset (Compose writes `VAR=` for a variable it has
 * no value for).
 */
export function loadConfig(env: Env, defaults: ConfigDefaults, warn: (message: string) => void = () => {}): BackendConfig {
  const read = new EnvReader(env);

  const serverId = read.raw('SERVER_ID') ?? defaults.hostname.slice(0, 64);
  if (!SERVER_ID.test(serverId)) {
    const unset = read.raw('SERVER_ID') === undefined;
    read.problem('SERVER_ID', unset ? `set it: the default, the host name ${JSON.stringify(serverId)}, is not ${SERVER_ID_ALLOWED}` : SERVER_ID_ALLOWED);
  }

  const delay = parseDelay(read.raw('SIMULATED_DELAY') ?? '0');
  if (!delay.ok) read.problem('SIMULATED_DELAY', delay.reason);

  const errorRate = read.fraction('ERROR_RATE', 0);
  const host = read.host('HOST', '0.0.0.0');
  const port = read.port('PORT', 5000);
  const metricsPort = read.port('METRICS_PORT', 8000);
  const portsRead = !read.problems.some((problem) => problem.variable === 'PORT' || problem.variable === 'METRICS_PORT');
  if (portsRead && port === metricsPort && port !== 0) {
    // Blame the variable that was set (the other one holds its default).
    if (read.raw('METRICS_PORT') === undefined)
      read.problem('PORT', `a port other than METRICS_PORT (${metricsPort}, its default); traffic and metrics are served separately`);
    else read.problem('METRICS_PORT', `a port other than PORT (${port}); traffic and metrics are served separately`);
  }

  // Every time variable is in milliseconds and says so; the old name works for one more release.
  read.renamed('SHUTDOWN_TIMEOUT', 'SHUTDOWN_TIMEOUT_MS');
  const shutdownTimeoutMs = read.milliseconds('SHUTDOWN_TIMEOUT_MS', 10_000, 0, MAX_SHUTDOWN_TIMEOUT_MS);
  const concurrency = read.integer('CONCURRENCY', 0, 0, MAX_CONCURRENCY);

  read.throwIfProblems();
  for (const warning of read.warnings) warn(warning);
  return {
    serverId,
    hostname: defaults.hostname,
    delay: delay.ok ? delay.spec : { kind: 'fixed', ms: 0 },
    errorRate,
    host,
    port,
    metricsPort,
    shutdownTimeoutMs,
    concurrency,
  };
}
