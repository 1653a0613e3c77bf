import type { ReportedLoad, ReportedLoadStatus } from '../load-reports/reported-load.js';

/**
 * How a proxied request to a backend ended, as far as the backend's health is concerned.
 * - `success`: a response that is not a 5xx (a 4xx is the client's problem, not the backend's).
 * - `http_5xx`: the backend answered with a 5xx.
 * - `connect_failure`: no connection (refused, reset before a response, DNS failure).
 * - `timeout`: connected, but no response in time.
 */
export type RequestOutcome = 'success' | 'http_5xx' | 'connect_failure' | 'timeout';

/** Running totals since the backend joined the pool; they only grow. */
export interface BackendCounters {
  /** `acquire()` calls. */
  readonly requests: number;
  readonly successes: number;
  readonly http5xx: number;
  readonly connectFailures: number;
  readonly timeouts: number;
  /** Passive ejections. */
  readonly ejections: number;
  readonly checksPassed: number;
  readonly checksFailed: number;
}

/**
 * A backend as the pool tracks it at runtime. It has the shape of `@lbpoc/algorithms`'
 * `Server` (`id`, `weight`, `inFlight`), so `pool.eligible()` goes straight to
 * `algorithm.pick()`. The pool owns these objects and updates them in place; read them,
 * do not hold on to a field's value.
 */
export interface Backend {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  /** The source's pool name (Docker label `lbpoc.pool`), if any. */
  readonly pool: string | undefined;
  /** The path active health checks GET. */
  readonly healthPath: string;
  /** The weight from the source, or from the last `setWeight()`, whichever came later. */
  readonly configuredWeight: number;
  /**
   * The weight algorithms use: 0 while drained, `configuredWeight` scaled by the slow-start
   * ramp (10%..100%) while ramping, else `configuredWeight`. Changes only when the pool
   * publishes a new snapshot.
   */
  readonly weight: number;
  /** Requests outstanding (between `acquire()` and `release()`). */
  readonly inFlight: number;
  /** Passing active checks and not ejected. Unhealthy backends leave `eligible()` unless the pool panics. */
  readonly healthy: boolean;
  /** Set by `setDrained()`: weight 0, so no new requests; in-flight ones finish. */
  readonly drained: boolean;
  /** Active health checks have marked it down (`fall` consecutive failures, until `rise` passes). */
  readonly failingChecks: boolean;
  /** Passively ejected after consecutive request failures; readmitted when the ejection time ends. */
  readonly ejected: boolean;
  /** When the current ejection ends, in the pool's clock (`options.clock.now()`); `undefined` when not ejected. */
  readonly ejectedUntil: number | undefined;
  /** In slow start: its weight is still ramping up. */
  readonly rampingUp: boolean;
  /** Exponentially weighted moving average of request latency in ms; `undefined` before the first response. */
  readonly latencyEwmaMs: number | undefined;
  /** What the last active check saw (`HTTP 200`, `ECONNREFUSED`, `timeout after 1000 ms`), if one ran. */
  readonly lastCheck: string | undefined;
  /** The backend's own latest load report (`reportLoad()`), read by the load-aware algorithms; `undefined` if it never reported. */
  readonly load: ReportedLoad | undefined;
  readonly counters: BackendCounters;
  /** A plain, JSON-safe copy of the state above, for an admin `/backends` endpoint. */
  toJSON(): BackendStatus;
}

/** What `Backend.toJSON()` returns: the fields of `Backend`, with `null` for unknown values. */
export interface BackendStatus {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly pool: string | null;
  readonly healthPath: string;
  readonly configuredWeight: number;
  readonly weight: number;
  readonly inFlight: number;
  readonly healthy: boolean;
  readonly drained: boolean;
  readonly failingChecks: boolean;
  readonly ejected: boolean;
  readonly rampingUp: boolean;
  readonly latencyEwmaMs: number | null;
  readonly lastCheck: string | null;
  /** The latest load report, with its age; `null` for a backend that never reported (the algorithms use the balancer's own view of it). */
  readonly load: ReportedLoadStatus | null;
  readonly counters: BackendCounters;
}

/** Why a backend's `healthy` flipped. */
export type HealthChangeReason = 'check_failed' | 'check_passed' | 'ejected' | 'ejection_expired';

/** `detail` of the pool's 'health' event: one transition of one backend. */
export interface HealthChangeDetail {
  readonly backend: Backend;
  /** The new value of `backend.healthy`. */
  readonly healthy: boolean;
  readonly reason: HealthChangeReason;
  /** For people: what was seen, for example `3 failed checks, last: HTTP 500` or `ejected for 10000 ms after 3 consecutive connect failures`. */
  readonly message: string;
}
