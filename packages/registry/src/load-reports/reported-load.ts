import type { BackendLoad } from './orca-text.js';

/**
 * A backend's latest load report as the pool keeps it (`Backend.load`): the shape
 * `@lbpoc/algorithms` reads as `Server.load`, so `pool.eligible()` goes to the load-aware
 * algorithms (`prequal`, `dynamic_weights`) as it is. A new report replaces the object;
 * none is changed in place.
 */
export interface ReportedLoad {
  /** Requests in flight on the backend itself; NaN when it reports none (then only utilization-based algorithms can use the report). */
  readonly inFlight: number;
  /** `application_utilization` if reported, else `cpu_utilization` (gRPC A58's choice). */
  readonly utilization?: number;
  /** Requests per second (`rps_fractional`). */
  readonly qps?: number;
  /** Errors per second (`eps`). */
  readonly eps?: number;
  /** The backend's own latency figure, in ms (`named_metrics.latency_ms`). */
  readonly latency?: number;
  /** The pool clock's time it arrived. */
  readonly receivedAt: number;
}

/** `load` as a `ReportedLoad` received at `receivedAt` (fields the backend left out stay out). */
export function toReportedLoad(load: BackendLoad, receivedAt: number): ReportedLoad {
  const utilization = load.applicationUtilization ?? load.cpuUtilization;
  return {
    inFlight: load.inFlight ?? Number.NaN,
    ...(utilization !== undefined && { utilization }),
    ...(load.rps !== undefined && { qps: load.rps }),
    ...(load.eps !== undefined && { eps: load.eps }),
    ...(load.latencyMs !== undefined && { latency: load.latencyMs }),
    receivedAt,
  };
}

/** What `/backends` shows of a report (`BackendStatus.load`): the figures, and its age instead of a clock reading. */
export interface ReportedLoadStatus {
  readonly inFlight: number | null;
  readonly utilization: number | null;
  readonly qps: number | null;
  readonly eps: number | null;
  readonly latencyMs: number | null;
  readonly ageMs: number;
}

export function reportedLoadStatus(load: ReportedLoad, now: number): ReportedLoadStatus {
  return {
    inFlight: Number.isFinite(load.inFlight) ? load.inFlight : null,
    utilization: load.utilization ?? null,
    qps: load.qps ?? null,
    eps: load.eps ?? null,
    latencyMs: load.latency ?? null,
    ageMs: Math.max(0, Math.round(now - load.receivedAt)),
  };
}
