/**
 * What the status page's event stream and `/status-page/snapshot` send: the contract
 * between the balancer and the page's script (which imports these types only). Times are
 * Unix ms; latencies ms; rates per second; null where there is nothing to say yet.
 */

/** The one word a backend's row leads with, worst first (its flags say the rest). */
export type BackendState = 'ejected' | 'down' | 'draining' | 'slow_start' | 'healthy';

export interface BackendRow {
  readonly id: string;
  /** Where it was discovered: `static` (BACKEND_SERVERS), `docker container` or `swarm task`. */
  readonly source: string;
  /** The discovery pool (`lbpoc.pool`), if any. */
  readonly pool: string | null;
  readonly state: BackendState;
  /** Passing active checks and not ejected. */
  readonly healthy: boolean;
  readonly failing_checks: boolean;
  readonly ejected: boolean;
  /** When the current ejection ends; null when not ejected (or not known). */
  readonly ejected_until: number | null;
  readonly drained: boolean;
  /** Slow start: the share of its weight it gets now, 10..99; null when not ramping. */
  readonly slow_start_pct: number | null;
  /** Unhealthy but still picked because the pool is in panic mode. */
  readonly panic_routed: boolean;
  readonly configured_weight: number;
  /** The weight the algorithms use (0 while drained, ramping in slow start). */
  readonly weight: number;
  readonly in_flight: number;
  /** Finished requests per second, the last complete second. */
  readonly rps: number;
  /** Over the last 10 s: requests, 5xx-or-no-response share, latency percentiles. */
  readonly requests_10s: number;
  readonly error_rate: number | null;
  readonly p50_ms: number | null;
  readonly p99_ms: number | null;
  readonly latency_ewma_ms: number | null;
  /** null when active health checks are off. */
  readonly last_check: LastCheck | null;
  /** The backend's own latest load report (endpoint-load-metrics), with its age; null when it never reported. */
  readonly load: { readonly in_flight: number | null; readonly utilization: number | null; readonly age_s: number } | null;
  /** prequal's view now: `hot`, `cold`, or `fallback` (no fresh report: its own count and latency); null when not eligible. */
  readonly prequal: 'hot' | 'cold' | 'fallback' | null;
}

export interface LastCheck {
  /** What the last check saw (`HTTP 200`, `ECONNREFUSED`), null before the first. */
  readonly detail: string | null;
  /** Whether it passed; null before the first check this page saw. */
  readonly passed: boolean | null;
  /** Seconds since it ran, to the second; null before the first check this page saw. */
  readonly age_s: number | null;
}

export interface AlgorithmRow {
  readonly name: string;
  readonly is_default: boolean;
  /** Requests finished per second that this algorithm picked (adaptive: that it delegated). */
  readonly rps: number;
  readonly requests_10s: number;
  readonly error_rate: number | null;
  readonly p50_ms: number | null;
  readonly p99_ms: number | null;
}

export interface LoadSignal {
  readonly id: string;
  readonly in_flight: number;
  readonly weight: number;
  /** In flight per unit of weight: what adaptive compares. */
  readonly load: number;
}

/**
 * Why adaptive chooses what it chooses (`@lbpoc/algorithms`' `AdaptiveRule`): `reports` and
 * `latency_spread` lead to prequal, the others are the seed decision tree (`decideAdaptive`).
 */
export type AdaptiveRule = 'reports' | 'latency_spread' | 'high_load' | 'imbalance' | 'unequal_weights' | 'equal_weights' | 'no_backend';

/** A backend's latency as adaptive averages it from its own samples. */
export interface LatencySignal {
  readonly id: string;
  readonly latency_ms: number;
  readonly samples: number;
}

export interface AdaptiveView {
  /** What it would choose on the pool as it is now; null with no eligible backend. */
  readonly choice: string | null;
  readonly rule: AdaptiveRule;
  /** What it delegated its last request to. */
  readonly last_used: string;
  readonly busiest: LoadSignal | null;
  readonly least_busy: LoadSignal | null;
  /** busiest.load - least_busy.load. */
  readonly gap: number | null;
  /** Eligible backends with a fresh load report, of how many eligible: rule `reports` at `thresholds.report_coverage` of them. */
  readonly reports: { readonly fresh: number; readonly eligible: number };
  /** Slowest and fastest latency average (backends with enough samples); null with fewer than two. */
  readonly slowest: LatencySignal | null;
  readonly fastest: LatencySignal | null;
  /** slowest / fastest: rule `latency_spread` at `thresholds.latency_spread`; null as above (and Infinity, a fastest of 0 ms, goes out as JSON null). */
  readonly latency_spread: number | null;
  readonly thresholds: {
    readonly high_load: number;
    readonly imbalance: number;
    readonly report_coverage: number;
    readonly report_max_age_ms: number;
    readonly latency_spread: number;
    readonly latency_min_samples: number;
  };
  /** Requests adaptive delegated in the last second, per choice. */
  readonly decisions_per_s: Readonly<Record<string, number>>;
}

export interface StatusSnapshot {
  readonly t: number;
  /** False once the balancer is shutting down. */
  readonly accepting: boolean;
  readonly default_algorithm: string;
  readonly panic: boolean;
  readonly panic_threshold: number;
  /** ADMIN_TOKEN is set: the write routes (and the page's controls) work. */
  readonly admin_writes: boolean;
  readonly health_checks: { readonly interval_ms: number; readonly timeout_ms: number; readonly rise: number; readonly fall: number } | null;
  readonly slow_start_ms: number;
  readonly viewers: { readonly count: number; readonly max: number };
  /** Worker threads serving traffic now (1 without WORKERS > 1); the figures are totals over them. */
  readonly workers: number;
  readonly totals: { readonly rps: number; readonly in_flight: number };
  readonly backends: readonly BackendRow[];
  readonly algorithms: readonly AlgorithmRow[];
  readonly adaptive: AdaptiveView;
}

/** Up to the last 5 minutes, one point a second, oldest first; null where there was nothing. */
export interface StatusHistory {
  readonly t: readonly number[];
  readonly backends: readonly { readonly id: string; readonly rps: readonly (number | null)[]; readonly p99_ms: readonly (number | null)[] }[];
  readonly algorithms: readonly { readonly name: string; readonly rps: readonly (number | null)[] }[];
}

/** The first event of a stream: where the charts start, and the state now. */
export interface StatusHello {
  readonly history: StatusHistory;
  readonly snapshot: StatusSnapshot;
}
