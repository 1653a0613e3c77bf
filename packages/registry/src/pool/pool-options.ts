import { DAY_MS } from '@lbpoc/service-kit';
import { type Clock, systemClock } from '../shared/clock.js';
import { InvalidPoolOptionError } from '../shared/errors.js';

/** Active health checks: an HTTP GET on each backend, on a timer. */
export interface HealthCheckOptions {
  /** Path to GET when the backend names none (`BackendAddress.healthPath`). Default `/health`. */
  readonly path: string;
  /** Pause between the end of one check and the start of the next, per backend. Default 2000. */
  readonly intervalMs: number;
  /** A check that has not finished (headers and body) in this time fails. Default 1000. */
  readonly timeoutMs: number;
  /** Consecutive passing checks (2xx) that make an unhealthy backend healthy. Default 2. */
  readonly rise: number;
  /** Consecutive failing checks that make a healthy backend unhealthy. Default 3. */
  readonly fall: number;
}

/** Passive health: eject a backend whose real requests keep failing. */
export interface OutlierDetectionOptions {
  /** Consecutive `connect_failure`/`timeout` outcomes that eject. Default 3; 0 disables this trigger. */
  readonly consecutiveConnectFailures: number;
  /** Consecutive failed outcomes of any kind (`http_5xx`, `connect_failure`, `timeout`) that eject. Default 5; 0 disables. */
  readonly consecutive5xx: number;
  /** First ejection lasts this long; each further one doubles it. Default 5000. */
  readonly baseEjectionMs: number;
  /** Ejections never last longer than this. Default 60000. */
  readonly maxEjectionMs: number;
}

export interface BackendPoolOptions {
  /** Active health checks; `false` turns them off (backends are then healthy unless ejected). */
  readonly healthCheck?: Partial<HealthCheckOptions> | false;
  /** Passive outlier ejection; `false` turns it off. */
  readonly outlierDetection?: Partial<OutlierDetectionOptions> | false;
  /**
   * Below this share of healthy backends (0..1) the pool panics and offers all of them.
   * Default 0.5; 0 disables panic mode.
   */
  readonly panicThreshold?: number;
  /** A backend that becomes healthy ramps from 10% to 100% of its weight over this time. Default 10000; 0 disables. */
  readonly slowStartMs?: number;
  /** Smoothing factor of each backend's latency EWMA, in (0, 1]: the weight of the newest sample. Default 0.2. */
  readonly latencyEwmaAlpha?: number;
  /** Time source (tests pass a fake one). Default `systemClock`. */
  readonly clock?: Clock;
}

/** Every option with its default applied; what `BackendPool.options` exposes. */
export interface ResolvedPoolOptions {
  readonly healthCheck: HealthCheckOptions | false;
  readonly outlierDetection: OutlierDetectionOptions | false;
  readonly panicThreshold: number;
  readonly slowStartMs: number;
  readonly latencyEwmaAlpha: number;
  readonly clock: Clock;
}

export const DEFAULT_HEALTH_CHECK: HealthCheckOptions = Object.freeze({
  path: '/health',
  intervalMs: 2000,
  timeoutMs: 1000,
  rise: 2,
  fall: 3,
});

export const DEFAULT_OUTLIER_DETECTION: OutlierDetectionOptions = Object.freeze({
  consecutiveConnectFailures: 3,
  consecutive5xx: 5,
  baseEjectionMs: 5000,
  maxEjectionMs: 60_000,
});

export const DEFAULT_PANIC_THRESHOLD = 0.5;
export const DEFAULT_SLOW_START_MS = 10_000;
export const DEFAULT_LATENCY_EWMA_ALPHA = 0.2;

/**
 * Applies defaults and checks every value, so a typo fails at construction with the option
 * named rather than as a pool that silently never checks anything.
 * @throws InvalidPoolOptionError naming the option, the value and the allowed range
 */
export function resolvePoolOptions(options: BackendPoolOptions = {}): ResolvedPoolOptions {
  onlyKeys('', options, ['healthCheck', 'outlierDetection', 'panicThreshold', 'slowStartMs', 'latencyEwmaAlpha', 'clock']);
  const resolved: ResolvedPoolOptions = {
    healthCheck: resolveHealthCheck(options.healthCheck),
    outlierDetection: resolveOutlierDetection(options.outlierDetection),
    panicThreshold: options.panicThreshold ?? DEFAULT_PANIC_THRESHOLD,
    slowStartMs: options.slowStartMs ?? DEFAULT_SLOW_START_MS,
    latencyEwmaAlpha: options.latencyEwmaAlpha ?? DEFAULT_LATENCY_EWMA_ALPHA,
    clock: options.clock ?? systemClock,
  };
  const { panicThreshold, slowStartMs, latencyEwmaAlpha, clock } = resolved;
  if (!(typeof panicThreshold === 'number' && panicThreshold >= 0 && panicThreshold <= 1)) {
    throw new InvalidPoolOptionError('panicThreshold', panicThreshold, 'a number from 0 to 1 (0 disables panic mode)');
  }
  integer('slowStartMs', slowStartMs, 0, DAY_MS, '(milliseconds; 0 disables slow start)');
  if (!(typeof latencyEwmaAlpha === 'number' && latencyEwmaAlpha > 0 && latencyEwmaAlpha <= 1)) {
    throw new InvalidPoolOptionError('latencyEwmaAlpha', latencyEwmaAlpha, 'a number greater than 0 and at most 1');
  }
  if (typeof clock?.now !== 'function' || typeof clock.setTimeout !== 'function') {
    throw new InvalidPoolOptionError('clock', clock, 'an object with now() and setTimeout(callback, ms) methods');
  }
  return Object.freeze(resolved);
}

function resolveHealthCheck(options: Partial<HealthCheckOptions> | false | undefined): HealthCheckOptions | false {
  if (options === false) return false;
  onlyKeys('healthCheck.', options ?? {}, Object.keys(DEFAULT_HEALTH_CHECK));
  const resolved = { ...DEFAULT_HEALTH_CHECK, ...options };
  if (typeof resolved.path !== 'string' || !resolved.path.startsWith('/')) {
    throw new InvalidPoolOptionError('healthCheck.path', resolved.path, 'a path starting with "/"');
  }
  integer('healthCheck.intervalMs', resolved.intervalMs, 1, DAY_MS, '(milliseconds)');
  integer('healthCheck.timeoutMs', resolved.timeoutMs, 1, DAY_MS, '(milliseconds)');
  integer('healthCheck.rise', resolved.rise, 1, 100);
  integer('healthCheck.fall', resolved.fall, 1, 100);
  return Object.freeze(resolved);
}

function resolveOutlierDetection(options: Partial<OutlierDetectionOptions> | false | undefined): OutlierDetectionOptions | false {
  if (options === false) return false;
  onlyKeys('outlierDetection.', options ?? {}, Object.keys(DEFAULT_OUTLIER_DETECTION));
  const resolved = { ...DEFAULT_OUTLIER_DETECTION, ...options };
  integer('outlierDetection.consecutiveConnectFailures', resolved.consecutiveConnectFailures, 0, 1000, '(0 disables this trigger)');
  integer('outlierDetection.consecutive5xx', resolved.consecutive5xx, 0, 1000, '(0 disables this trigger)');
  integer('outlierDetection.baseEjectionMs', resolved.baseEjectionMs, 1, DAY_MS, '(milliseconds)');
  integer('outlierDetection.maxEjectionMs', resolved.maxEjectionMs, resolved.baseEjectionMs, DAY_MS, '(milliseconds, at least baseEjectionMs)');
  return Object.freeze(resolved);
}

function integer(option: string, value: unknown, min: number, max: number, note = ''): void {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw new InvalidPoolOptionError(option, value, `an integer from ${min} to ${max}${note === '' ? '' : ` ${note}`}`);
  }
}

/** Rejects unknown keys: from JavaScript, `{ healthcheck: false }` would otherwise be ignored. */
function onlyKeys(prefix: string, options: object, allowed: readonly string[]): void {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidPoolOptionError(prefix === '' ? 'options' : prefix.slice(0, -1), options, 'an object');
  }
  for (const key of Object.keys(options)) {
    if (allowed.includes(key)) continue;
    const option = `${prefix}${key}`;
    const known = allowed.map((name) => `${prefix}${name}`).join(', ');
    throw new InvalidPoolOptionError(
      option,
      (options as Record<string, unknown>)[key],
      `one of ${known}`,
      `BackendPool has no option ${option}; known options: ${known}`,
    );
  }
}
