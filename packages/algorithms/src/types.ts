/**
 * What an algorithm needs to know about a server. The balancer owns these objects and
 * keeps `inFlight` current; algorithms only read them.
 *
 * A server list is treated as a snapshot: when servers are added, removed, reordered or
 * re-weighted, pass a new array. Algorithms that precompute (Maglev table, smooth WRR
 * state) rebuild when the array identity or length changes, and read `weight` and
 * `inFlight` live on every pick.
 */
export interface Server {
  /** Stable, unique id (for example `host:port`). Hashing and per-server state key on it. */
  readonly id: string;
  /** Relative capacity; default 1. Zero, negative or NaN means "never pick" (drained). */
  readonly weight?: number;
  /** Requests currently outstanding on this server; default 0. */
  readonly inFlight?: number;
  /**
   * What the backend last reported about its own load, kept current by the balancer (a
   * probe's answer or a response header) and read live on every pick, like `inFlight`.
   * Only the load-aware algorithms (`prequal`, `dynamic_weights`) read it.
   */
  readonly load?: LoadReport | undefined;
}

/**
 * What a backend last reported about its own load: a probe's answer or a response header
 * (ORCA's `endpoint-load-metrics`). Data only; the balancer replaces the object when a new
 * report arrives and never mutates one in place, so algorithms can tell reports apart by
 * `receivedAt`. Fields a backend does not measure are left out.
 */
export interface LoadReport {
  /**
   * Requests in flight on the backend itself (all balancers' requests and outside load).
   * NaN when the backend does not report it: `prequal` then treats the server as without a
   * report; `dynamic_weights` does not need it.
   */
  readonly inFlight: number;
  /** Utilization in [0, 1] (CPU or whatever the backend measures), if it reports one. */
  readonly utilization?: number;
  /** Queries per second the backend served recently, if reported (any unit, the same for every backend). */
  readonly qps?: number;
  /** Errors per second the backend served recently, in qps's unit, if reported (ORCA's `eps`). */
  readonly eps?: number;
  /**
   * The latency a new request would see there, in the clock's unit, if known. Best is the
   * backend's estimate at its current in-flight count (Prequal: the median latency of recent
   * requests that arrived at a similar count); a recent average, or the probe's own round
   * trip, work too but lag behind the queue.
   */
  readonly latency?: number;
  /** When it was received, in the algorithm's clock (`now()`): reports expire by age. */
  readonly receivedAt: number;
}

/** The wire names of every algorithm (`?algo=`), in the order they are documented. */
export const ALGORITHM_NAMES = [
  'round_robin',
  'weighted_round_robin',
  'least_connections',
  'ip_hash',
  'random',
  'p2c',
  'peak_ewma',
  'adaptive',
  'prequal',
  'dynamic_weights',
] as const;

export type AlgorithmName = (typeof ALGORITHM_NAMES)[number];

/**
 * The algorithms adaptive chooses between: the seed's decision tree (round robin, weighted
 * round robin, least connections) and, when backends report their load or their latencies
 * spread apart, `prequal`.
 */
export type AdaptiveChoice = 'round_robin' | 'weighted_round_robin' | 'least_connections' | 'prequal';

/**
 * Why adaptive chose what it chose, in the order the rules are tried (see `adaptive.ts`):
 * `reports` and `latency_spread` lead to `prequal`; `high_load` and `imbalance` to least
 * connections; `unequal_weights` to weighted round robin; `equal_weights` and `no_backend`
 * to round robin.
 */
export type AdaptiveRule = 'reports' | 'latency_spread' | 'high_load' | 'imbalance' | 'unequal_weights' | 'equal_weights' | 'no_backend';

/** One server's latency as adaptive's own average of `observe` samples sees it. */
export interface AdaptiveLatency {
  readonly id: string;
  /** Average latency (a moving average over the last `latencyWindow` samples), in the clock's unit. */
  readonly latency: number;
  /** Samples it has taken since it was first observed. */
  readonly samples: number;
}

/** What adaptive decided on a server list, and the signals it decided on (from `Adaptive.explain`). */
export interface AdaptiveDecision {
  readonly choice: AdaptiveChoice;
  readonly rule: AdaptiveRule;
  /** Servers with weight > 0. */
  readonly eligible: number;
  /** Eligible servers with a fresh, well-formed load report (at most `reportMaxAge` old). */
  readonly reported: number;
  /** The slowest and the fastest eligible server with at least `latencyMinSamples` samples; undefined with fewer than two such servers. */
  readonly slowest: AdaptiveLatency | undefined;
  readonly fastest: AdaptiveLatency | undefined;
  /** slowest.latency / fastest.latency (Infinity when the fastest averages 0); undefined as above. */
  readonly latencySpread: number | undefined;
  /** Whether it has a clock: without one the load-aware rules are off and only the seed tree decides. */
  readonly clock: boolean;
}

/**
 * A server-selection algorithm with its own state. One instance per balancer (or per
 * pool): instances never share state, and nothing outside the instance is touched.
 */
export interface Algorithm {
  /** Its wire name: one of `ALGORITHM_NAMES`, or an algorithm plugin's own (`AlgorithmPlugin`). */
  readonly name: string;
  /**
   * Picks a server from `servers`, or `undefined` when none is eligible (empty list, or
   * every weight is zero). Never returns an object that is not in `servers`.
   * @param key what hashing algorithms hash (the client address); others ignore it.
   */
  pick<S extends Server>(servers: readonly S[], key?: string): S | undefined;
  /**
   * The concrete algorithm that made the last pick: the instance's own name, or for
   * `adaptive` the algorithm it delegated to. Read it right after `pick`.
   */
  readonly lastUsed: string;
  /** Feeds back a completed request's latency (same unit as the clock). Latency-aware algorithms use it. */
  observe(serverId: string, latency: number): void;
}

/** Injected sources of randomness and time: algorithms never read globals. */
export interface AlgorithmOptions {
  /** Uniform in [0, 1). Default: a PRNG seeded with `seed`. */
  readonly random?: () => number;
  /** Seed for the default PRNG (ignored when `random` is given). Default 1. */
  readonly seed?: number;
  /** Monotonic clock, for time-aware algorithms (peak_ewma). Must match `observe`'s unit. */
  readonly now?: () => number;
  /** peak_ewma: decay time constant, in the clock's unit. Default 10 000 (10 s in ms). */
  readonly decayTime?: number;
  /** adaptive: thresholds of the decision tree (see `adaptive.ts`). Its prequal delegate takes `prequal`; without `now` only the seed tree decides. */
  readonly adaptive?: Partial<AdaptiveThresholds>;
  /** prequal: pool, expiry, hot quantile (see `load-aware/prequal.ts`). */
  readonly prequal?: Partial<PrequalOptions>;
  /** dynamic_weights: blackout, expiry, update period, error penalty, qps source (see `load-aware/dynamic-weights.ts`). */
  readonly dynamicWeights?: Partial<DynamicWeightsOptions>;
}

/** prequal's parameters (Prequal, NSDI 2024). Times are in the clock's unit (ms in the defaults). */
export interface PrequalOptions {
  /** Most servers compared per pick (Prequal's probe pool); a random subset when more are eligible. Default 16. */
  readonly poolSize: number;
  /** A report (or an own latency sample) older than this is stale and not used. Default 1000 (1 s). */
  readonly maxAge: number;
  /** A server is hot when its in-flight estimate per unit of weight is above this quantile of its pool's (every eligible server's, up to `poolSize` of them). Default 0.84. */
  readonly hotQuantile: number;
  /** Time constant of the average of own latency samples (`observe`), used where no report gives a latency. Default 1000. */
  readonly latencyDecay: number;
}

/** dynamic_weights' parameters (gRPC A58, Envoy's client_side_weighted_round_robin). Times are in the clock's unit. */
export interface DynamicWeightsOptions {
  /** A server's weight is not used until it has reported a usable one for this long. Default 10 000 (10 s). */
  readonly blackoutPeriod: number;
  /** A weight not refreshed by a report for this long is dropped, and the blackout starts over. Default 180 000 (3 min). */
  readonly weightExpiration: number;
  /** Weights are recomputed from the reports at most this often (0: on every pick). Default 1000 (1 s). */
  readonly weightUpdatePeriod: number;
  /** weight = qps / (utilization + errorUtilizationPenalty x eps / qps). Default 1. */
  readonly errorUtilizationPenalty: number;
  /**
   * Where qps comes from: `reported` (the reports' `qps`), `observed` (this balancer's own
   * completions per server, counted by `observe()` over `qpsWindow`), or `auto` (reported
   * when every eligible server's report has a qps, else observed for all). Default `auto`.
   */
  readonly qpsSource: 'auto' | 'reported' | 'observed';
  /** Window over which observed qps is counted. Default 1000. */
  readonly qpsWindow: number;
}

/** Whether a load-aware algorithm used a server's report or its own view of it. */
export type LoadSource = 'report' | 'fallback';

/** One server as `prequal` sees it now (for `/backends`, not for the hot path). */
export interface PrequalInsight {
  readonly algorithm: 'prequal';
  readonly id: string;
  /** `report`: a fresh report gave its in-flight count; `fallback`: only this balancer's own count and latency samples. */
  readonly source: LoadSource;
  /** Age of the server's report in the clock's unit, stale or not; undefined when it has none. */
  readonly reportAge: number | undefined;
  /** Estimated requests in flight on the backend (report + this balancer's change since), or this balancer's own count. */
  readonly inFlight: number;
  /** The latency prequal ranks it by (report, else own samples, at its in-flight estimate); undefined when unknown. */
  readonly latency: number | undefined;
  /** In flight per unit of weight above the hot quantile of all eligible servers'. */
  readonly hot: boolean;
}

/** One server as `dynamic_weights` sees it now (for `/backends`, not for the hot path). */
export interface DynamicWeightsInsight {
  readonly algorithm: 'dynamic_weights';
  readonly id: string;
  /** `report`: its own load-derived weight is in use; `fallback`: none usable yet (none, blackout, expired), it gets the mean or its configured weight. */
  readonly source: LoadSource;
  /** Age of the server's report in the clock's unit; undefined when it has none. */
  readonly reportAge: number | undefined;
  /** The weight smooth WRR uses for it until the next update (0 when drained). */
  readonly weight: number;
  /** The last usable weight derived from its reports (even during the blackout), if any. */
  readonly reportedWeight: number | undefined;
}

export type LoadInsight = PrequalInsight | DynamicWeightsInsight;

/**
 * An algorithm that reads `Server.load`. `inspect` tells, per server, what it is using now,
 * including which servers it falls back to the balancer's own view for. It allocates and
 * does not change the algorithm's state: call it for a status page, not on every request.
 */
export interface LoadAwareAlgorithm extends Algorithm {
  inspect(servers: readonly Server[]): readonly LoadInsight[];
}

/**
 * Thresholds of the adaptive decision tree: the seed tree's in requests in flight per unit
 * of weight, the load-aware rules' as documented per field. Times are in the clock's unit.
 */
export interface AdaptiveThresholds {
  /** "High server load": the busiest server has at least this many in flight per unit weight. Default 8. */
  readonly highLoad: number;
  /** "Load imbalance": busiest minus least busy, per unit weight, at least this much. Default 2. */
  readonly imbalance: number;
  /** Rule `reports`: at least this fraction of the eligible servers has a fresh load report -> prequal. In (0, 1]; default 0.5. */
  readonly reportCoverage: number;
  /** A load report older than this does not count as fresh for `reportCoverage`. Default 1000 (1 s, prequal's own `maxAge`). */
  readonly reportMaxAge: number;
  /** Rule `latency_spread`: slowest / fastest average latency at least this -> prequal. > 1; default 2. */
  readonly latencySpread: number;
  /** A server's latency average counts towards the spread once it has this many samples. Integer >= 1; default 16. */
  readonly latencyMinSamples: number;
  /** The latency average is a moving average over about this many samples (weight 1/n per new sample). Integer >= 1; default 16. */
  readonly latencyWindow: number;
}
