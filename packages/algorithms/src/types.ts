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
}

/** The wire names of every algorithm (`?algo=`), in the order they are documented. */
export const ALGORITHM_NAMES = ['round_robin', 'weighted_round_robin', 'least_connections', 'ip_hash', 'random', 'p2c', 'peak_ewma', 'adaptive'] as const;

export type AlgorithmName = (typeof ALGORITHM_NAMES)[number];

/** The algorithms adaptive chooses between, as the seed's decision tree names them. */
export type AdaptiveChoice = 'round_robin' | 'weighted_round_robin' | 'least_connections';

/**
 * A server-selection algorithm with its own state. One instance per balancer (or per
 * pool): instances never share state, and nothing outside the instance is touched.
 */
export interface Algorithm {
  readonly name: AlgorithmName;
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
  readonly lastUsed: AlgorithmName;
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
  /** adaptive: thresholds of the decision tree (see `adaptive.ts`). */
  readonly adaptive?: Partial<AdaptiveThresholds>;
}

/** Thresholds of the adaptive decision tree, in requests in flight per unit of weight. */
export interface AdaptiveThresholds {
  /** "High server load": the busiest server has at least this many in flight per unit weight. */
  readonly highLoad: number;
  /** "Load imbalance": busiest minus least busy, per unit weight, at least this much. */
  readonly imbalance: number;
}
