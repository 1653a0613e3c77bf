import type { Backend } from '@lbpoc/registry';
import { round } from './status-history.js';
import type { BackendRow, BackendState, LastCheck } from './status-types.js';
import type { RateSummary } from './traffic-windows.js';

/** What a row needs besides the backend and its traffic. */
export interface RowContext {
  /** `static`, `docker container`, `swarm task`. */
  readonly source: string;
  readonly panic: boolean;
  /** Wall-clock ms, and the pool's clock (monotonic ms) at the same moment. */
  readonly now: number;
  readonly poolNow: number;
  /** null when health checks are off. */
  readonly lastCheck: LastCheck | null;
  /** How prequal sees this backend now (`hot`, `cold`, or `fallback`: no fresh report); undefined when it is not eligible. */
  readonly prequal?: 'hot' | 'cold' | 'fallback' | undefined;
}

export function stateOf(backend: Backend): BackendState {
  if (backend.ejected) return 'ejected';
  if (backend.failingChecks) return 'down';
  if (backend.drained) return 'draining';
  if (backend.rampingUp) return 'slow_start';
  return 'healthy';
}

export function backendRow(backend: Backend, traffic: RateSummary, context: RowContext): BackendRow {
  const until = backend.ejectedUntil;
  // Slow start scales the configured weight (see @lbpoc/registry's slow-start.ts): the
  // effective weight over the configured one is the share it gets now.
  const slowStart =
    backend.rampingUp && !backend.drained && backend.configuredWeight > 0 ? Math.floor((100 * backend.weight) / backend.configuredWeight) : null;
  return {
    id: backend.id,
    source: context.source,
    pool: backend.pool ?? null,
    state: stateOf(backend),
    healthy: backend.healthy,
    failing_checks: backend.failingChecks,
    ejected: backend.ejected,
    ejected_until: until === undefined ? null : Math.round(context.now + (until - context.poolNow)),
    drained: backend.drained,
    slow_start_pct: slowStart,
    panic_routed: context.panic && !backend.healthy && !backend.drained,
    configured_weight: backend.configuredWeight,
    weight: backend.weight,
    in_flight: backend.inFlight,
    rps: round(traffic.rps, 2),
    requests_10s: traffic.requests,
    error_rate: traffic.requests > 0 ? round(traffic.errors / traffic.requests, 4) : null,
    p50_ms: traffic.p50Ms === null ? null : round(traffic.p50Ms, 3),
    p99_ms: traffic.p99Ms === null ? null : round(traffic.p99Ms, 3),
    latency_ewma_ms: backend.latencyEwmaMs === undefined ? null : round(backend.latencyEwmaMs, 3),
    last_check: context.lastCheck,
    load:
      backend.load === undefined
        ? null
        : {
            in_flight: Number.isFinite(backend.load.inFlight) ? backend.load.inFlight : null,
            utilization: backend.load.utilization === undefined ? null : round(backend.load.utilization, 3),
            age_s: round(Math.max(0, context.poolNow - backend.load.receivedAt) / 1000, 1),
          },
    prequal: context.prequal ?? null,
  };
}
