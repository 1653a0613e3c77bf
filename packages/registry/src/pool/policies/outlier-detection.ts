import type { RequestOutcome } from '../backend.js';
import type { OutlierDetectionOptions } from '../pool-options.js';

/** The part of a backend's state that passive outlier detection reads and writes. */
export interface OutlierState {
  /** Consecutive `connect_failure`/`timeout` outcomes. */
  consecutiveLocalFailures: number;
  /** Consecutive failures of any kind (`http_5xx`, `connect_failure`, `timeout`). */
  consecutiveFailures: number;
}

/**
 * Counts one request outcome and says whether the backend should be ejected, and why.
 *
 * Connection-level failures get the lower threshold: a refused connection says far more
 * about the backend than a 5xx, which may be one bad request. A success resets both
 * counters; a 5xx resets the connection counter (the connection worked) and advances the
 * other. Counters restart from zero after an ejection.
 * @returns a description of the trigger (for the 'health' event), or `undefined`
 */
export function countOutcome(state: OutlierState, outcome: RequestOutcome, options: OutlierDetectionOptions): string | undefined {
  if (outcome === 'success') {
    state.consecutiveLocalFailures = 0;
    state.consecutiveFailures = 0;
    return undefined;
  }
  state.consecutiveFailures += 1;
  state.consecutiveLocalFailures = outcome === 'http_5xx' ? 0 : state.consecutiveLocalFailures + 1;
  let trigger: string | undefined;
  if (options.consecutiveConnectFailures > 0 && state.consecutiveLocalFailures >= options.consecutiveConnectFailures) {
    trigger = `${state.consecutiveLocalFailures} consecutive connect failures or timeouts`;
  } else if (options.consecutive5xx > 0 && state.consecutiveFailures >= options.consecutive5xx) {
    trigger = `${state.consecutiveFailures} consecutive failed requests (5xx, connect failure or timeout)`;
  }
  if (trigger !== undefined) {
    state.consecutiveLocalFailures = 0;
    state.consecutiveFailures = 0;
  }
  return trigger;
}

/**
 * How long an ejection lasts when the backend has `level` earlier ejections that still
 * count: `baseEjectionMs * 2^level`, capped at `maxEjectionMs`. A backend that keeps
 * failing is retried less and less often instead of taking a share of traffic every few seconds.
 */
export function ejectionDurationMs(level: number, options: OutlierDetectionOptions): number {
  return Math.min(options.baseEjectionMs * 2 ** Math.min(level, 40), options.maxEjectionMs);
}

/**
 * Forgives earlier ejections: the level drops by one for every `baseEjectionMs` the
 * backend has spent admitted since its last ejection ended. So a backend that failed once
 * long ago starts again from the base time, while one that fails right after each
 * readmission keeps doubling.
 */
export function decayedEjectionLevel(level: number, admittedForMs: number, baseEjectionMs: number): number {
  return Math.max(0, level - Math.floor(Math.max(0, admittedForMs) / baseEjectionMs));
}
