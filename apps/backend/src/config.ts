import { isIP } from 'node:net';
import { ConfigError } from './config-error.js';
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
  /** `SHUTDOWN_TIMEOUT`: milliseconds to finish in-flight requests after SIGTERM before forcing. */
  readonly shutdownTimeoutMs: number;
}

export type ConfigResult =
  | { readonly ok: true; readonly config: BackendConfig }
  | { readonly ok: false; readonly errors: readonly ConfigError[] };

/** What the environment cannot say for itself; passed in so `loadConfig` stays pure. */
export interface ConfigDefaults {
  readonly hostname: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

const SERVER_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;
const INTEGER = /^\d+$/;
const FRACTION = /^(?:\d+(?:\.\d+)?|\.\d+)$/;
const MAX_SHUTDOWN_TIMEOUT_MS = 600_000;

/**
 * Reads and validates the backend's environment. Pure: the same env and defaults give
 * the same answer, nothing is read from the process. Every bad variable is reported,
 * not only the first, so one restart is enough to fix them all. An empty variable counts
 * as unset (Compose writes `VAR=` for a variable it has no value for).
 */
export function loadConfig(env: Env, defaults: ConfigDefaults): ConfigResult {
  const errors: ConfigError[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };

  const serverId = read('SERVER_ID') ?? defaults.hostname.slice(0, 64);
  if (!SERVER_ID.test(serverId)) {
    errors.push(
      new ConfigError('SERVER_ID', serverId, '1 to 64 characters of letters, digits and . _ : - (it becomes a metric label)'),
    );
  }

  const delayText = read('SIMULATED_DELAY') ?? '0';
  const delay = parseDelay(delayText);
  if (!delay.ok) errors.push(new ConfigError('SIMULATED_DELAY', delayText, delay.reason));

  const errorRateText = read('ERROR_RATE') ?? '0';
  const errorRate = Number(errorRateText);
  if (!FRACTION.test(errorRateText) || errorRate > 1) {
    errors.push(new ConfigError('ERROR_RATE', errorRateText, 'a fraction from 0 to 1, for example 0.05 for 5% of echo requests answered 500'));
  }

  const host = read('HOST') ?? '0.0.0.0';
  if (isIP(host) === 0 && !HOST_NAME.test(host)) {
    errors.push(new ConfigError('HOST', host, 'an IP address to bind to (0.0.0.0 for all IPv4, :: for all, 127.0.0.1 for local only) or a host name'));
  }

  const port = readPort('PORT', read('PORT'), 5000, errors);
  const metricsPort = readPort('METRICS_PORT', read('METRICS_PORT'), 8000, errors);
  if (port !== undefined && port === metricsPort && port !== 0) {
    errors.push(new ConfigError('METRICS_PORT', String(metricsPort), `a port other than PORT (${port}); traffic and metrics are served separately`));
  }

  const timeoutText = read('SHUTDOWN_TIMEOUT') ?? '10000';
  const shutdownTimeoutMs = Number(timeoutText);
  if (!INTEGER.test(timeoutText) || shutdownTimeoutMs > MAX_SHUTDOWN_TIMEOUT_MS) {
    errors.push(new ConfigError('SHUTDOWN_TIMEOUT', timeoutText, `whole milliseconds from 0 to ${MAX_SHUTDOWN_TIMEOUT_MS}`));
  }

  if (errors.length > 0 || !delay.ok || port === undefined || metricsPort === undefined) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    config: { serverId, hostname: defaults.hostname, delay: delay.spec, errorRate, host, port, metricsPort, shutdownTimeoutMs },
  };
}

function readPort(name: string, text: string | undefined, fallback: number, errors: ConfigError[]): number | undefined {
  if (text === undefined) return fallback;
  const port = Number(text);
  if (INTEGER.test(text) && port <= 65_535) return port;
  errors.push(new ConfigError(name, text, 'a TCP port, a whole number from 1 to 65535 (0 picks any free port)'));
  return undefined;
}
