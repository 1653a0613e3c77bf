import { LeastConnections } from './least-connections.js';
import { freshReport } from './load-aware/load-report.js';
import { Prequal } from './load-aware/prequal.js';
import { RoundRobin } from './round-robin.js';
import { inFlightOf, weightOf } from './server-load.js';
import { SmoothWeightedRoundRobin } from './smooth-weighted-round-robin.js';
import type { AdaptiveChoice, AdaptiveDecision, AdaptiveLatency, AdaptiveRule, AdaptiveThresholds, Algorithm, PrequalOptions, Server } from './types.js';

/**
 * Default thresholds. The seed tree's are in requests in flight per unit of weight: with
 * them, a server that falls two requests behind the others (a slow or stuck one) switches
 * the selector to least connections before its queue grows long. The load-aware rules'
 * were chosen on `@lbpoc/simulator`'s scenarios (see the README): half the servers
 * reporting, reports at most 1 s old (prequal's own `maxAge`), a 2x latency spread over
 * averages of 16 samples.
 */
export const DEFAULT_ADAPTIVE_THRESHOLDS: AdaptiveThresholds = Object.freeze({
  highLoad: 8,
  imbalance: 2,
  reportCoverage: 0.5,
  reportMaxAge: 1_000,
  latencySpread: 2,
  latencyMinSamples: 16,
  latencyWindow: 16,
});

/**
 * The seed's decision tree, as a pure function of the servers' current load:
 * high load (the busiest server has `highLoad` or more in flight per unit weight, or the
 * gap between busiest and least busy is `imbalance` or more) -> least connections;
 * else unequal weights -> weighted round robin; else -> round robin.
 *
 * This is adaptive's base, what it decides when neither load-aware rule applies (see
 * `Adaptive`); it never answers `prequal`.
 *
 * Complexity: O(n). No allocation.
 */
export function decideAdaptive(
  servers: readonly Server[],
  thresholds: Pick<AdaptiveThresholds, 'highLoad' | 'imbalance'> = DEFAULT_ADAPTIVE_THRESHOLDS,
): AdaptiveChoice {
  return CHOICE_OF[seedRule(servers, thresholds)];
}

/** The algorithm each rule leads to. */
const CHOICE_OF: Readonly<Record<AdaptiveRule, AdaptiveChoice>> = {
  reports: 'prequal',
  latency_spread: 'prequal',
  high_load: 'least_connections',
  imbalance: 'least_connections',
  unequal_weights: 'weighted_round_robin',
  equal_weights: 'round_robin',
  no_backend: 'round_robin',
};

function seedRule(servers: readonly Server[], thresholds: Pick<AdaptiveThresholds, 'highLoad' | 'imbalance'>): AdaptiveRule {
  let maxLoad = Number.NEGATIVE_INFINITY;
  let minLoad = Number.POSITIVE_INFINITY;
  let firstWeight = 0;
  let unequalWeights = false;
  for (let i = 0; i < servers.length; i++) {
    const server = servers[i]!;
    const weight = weightOf(server);
    if (weight === 0) continue;
    const load = inFlightOf(server) / weight;
    if (load > maxLoad) maxLoad = load;
    if (load < minLoad) minLoad = load;
    if (firstWeight === 0) firstWeight = weight;
    else if (weight !== firstWeight) unequalWeights = true;
  }
  if (firstWeight === 0) return 'no_backend';
  return seedDecision(maxLoad, minLoad, unequalWeights, thresholds);
}

/** The seed's tree on one scan's figures (in flight per unit of weight, whether weights differ). */
function seedDecision(maxLoad: number, minLoad: number, unequalWeights: boolean, thresholds: Pick<AdaptiveThresholds, 'highLoad' | 'imbalance'>): AdaptiveRule {
  if (maxLoad >= thresholds.highLoad) return 'high_load';
  if (maxLoad - minLoad >= thresholds.imbalance) return 'imbalance';
  return unequalWeights ? 'unequal_weights' : 'equal_weights';
}

/** A server's latency average: the mean of its first `latencyWindow` samples, then an EWMA of weight 1/`latencyWindow`. */
interface LatencyAverage {
  latency: number;
  samples: number;
}

/**
 * Adaptive selection: on each pick a rule chooses the algorithm and the pick is delegated
 * to it. The rules, tried in order (thresholds in `AdaptiveThresholds`, overridable through
 * `AlgorithmOptions.adaptive`):
 *
 * 1. **reports**: at least `reportCoverage` (half) of the eligible servers have a fresh
 *    load report (`Server.load`, at most `reportMaxAge` old) -> `prequal`. Reports see what
 *    this balancer cannot: other balancers' requests and outside load on a backend.
 * 2. **latency_spread**: among the eligible servers with at least `latencyMinSamples`
 *    latency samples (`observe`), the slowest average is `latencySpread` (2) times the
 *    fastest or more -> `prequal`, which then ranks on this balancer's own in-flight counts
 *    and latency samples (its fallback). Servers of unequal speed, whatever their weights:
 *    the seed tree would still send a slow one its share, least connections about what
 *    its queue allows. The averages are of raw latencies (queueing included), kept while
 *    a server gets no traffic: a slow server that prequal avoids keeps its slow average.
 * 3. the **seed tree** (`decideAdaptive`): `high_load` or `imbalance` -> least
 *    connections, `unequal_weights` -> weighted round robin, `equal_weights` -> round robin.
 *
 * Without a clock (`now`) the load-aware rules are off (report ages and prequal need one)
 * and only the seed tree decides. Each delegate keeps its own state across switches, and
 * `observe` feeds prequal's latency samples whichever algorithm picked. `lastUsed` tells
 * which algorithm picked and `lastRule` why; `explain` gives the signals.
 *
 * Complexity: O(n) per pick (the rules plus the delegate). No allocation per pick once a
 * server list is adopted; one small object per server the first time it is observed.
 */
export class Adaptive implements Algorithm {
  readonly name = 'adaptive';
  lastUsed: AdaptiveChoice = 'round_robin';
  /** The rule behind `lastUsed`. */
  lastRule: AdaptiveRule = 'no_backend';
  readonly thresholds: AdaptiveThresholds;
  private readonly delegates: Record<AdaptiveChoice, Algorithm | undefined>;
  private readonly averages = new Map<string, LatencyAverage>();
  private snapshot: readonly Server[] | undefined;
  /** Per index of the snapshot: its latency average, or undefined while never observed. */
  private averageAt: (LatencyAverage | undefined)[] = [];

  /**
   * @param now the clock, for report ages and the prequal delegate; without one only the seed tree decides
   * @param random for the prequal delegate's draws
   */
  constructor(
    thresholds: AdaptiveThresholds = DEFAULT_ADAPTIVE_THRESHOLDS,
    private readonly now?: () => number,
    random: () => number = Math.random,
    prequal: Partial<PrequalOptions> = {},
  ) {
    this.thresholds = thresholds;
    this.delegates = {
      round_robin: new RoundRobin(),
      weighted_round_robin: new SmoothWeightedRoundRobin(),
      least_connections: new LeastConnections(),
      prequal: now === undefined ? undefined : new Prequal(random, now, prequal),
    };
  }

  pick<S extends Server>(servers: readonly S[]): S | undefined {
    if (servers !== this.snapshot || servers.length !== this.averageAt.length) this.adopt(servers);
    const rule = this.rule(servers);
    this.lastRule = rule;
    this.lastUsed = CHOICE_OF[rule];
    return this.delegates[this.lastUsed]!.pick(servers);
  }

  observe(serverId: string, latency: number): void {
    this.delegates.prequal?.observe(serverId, latency);
    if (!(latency >= 0 && Number.isFinite(latency))) return; // a broken sample must not poison the average
    let average = this.averages.get(serverId);
    if (average === undefined) {
      average = { latency: 0, samples: 0 };
      this.averages.set(serverId, average);
      const index = this.snapshot?.findIndex((server) => server.id === serverId) ?? -1;
      if (index >= 0) this.averageAt[index] = average;
    }
    average.samples++;
    average.latency += (latency - average.latency) / Math.min(average.samples, this.thresholds.latencyWindow);
  }

  /**
   * What a pick on `servers` would decide now, and on which signals. Allocates and changes
   * no state: for a status page, not for every request.
   */
  explain(servers: readonly Server[]): AdaptiveDecision {
    let eligible = 0;
    let slowest: AdaptiveLatency | undefined;
    let fastest: AdaptiveLatency | undefined;
    let measured = 0;
    for (const server of servers) {
      if (weightOf(server) === 0) continue;
      eligible++;
      const average = this.averages.get(server.id);
      if (average === undefined || average.samples < this.thresholds.latencyMinSamples) continue;
      measured++;
      const entry = { id: server.id, latency: average.latency, samples: average.samples };
      if (slowest === undefined || entry.latency > slowest.latency) slowest = entry;
      if (fastest === undefined || entry.latency < fastest.latency) fastest = entry;
    }
    const spread = measured >= 2 ? spreadOf(slowest!.latency, fastest!.latency) : undefined;
    const rule = this.ruleWith(
      servers,
      servers.map((server) => this.averages.get(server.id)),
    );
    return {
      choice: CHOICE_OF[rule],
      rule,
      eligible,
      reported: this.now === undefined ? 0 : this.reportedCount(servers, this.now()),
      slowest: measured >= 2 ? slowest : undefined,
      fastest: measured >= 2 ? fastest : undefined,
      latencySpread: spread,
      clock: this.now !== undefined,
    };
  }

  private rule(servers: readonly Server[]): AdaptiveRule {
    return this.ruleWith(servers, this.averageAt);
  }

  /**
   * The first rule that applies; `averages[i]` is server i's latency average. One pass
   * gathers the signals of every rule (the seed tree's as `seedRule` does).
   */
  private ruleWith(servers: readonly Server[], averages: readonly (LatencyAverage | undefined)[]): AdaptiveRule {
    const thresholds = this.thresholds;
    const clock = this.now !== undefined;
    const now = clock ? this.now!() : 0;
    const { reportMaxAge, latencyMinSamples } = thresholds;
    let eligible = 0;
    let reported = 0;
    let slowest = Number.NEGATIVE_INFINITY;
    let fastest = Number.POSITIVE_INFINITY;
    let measured = 0;
    let maxLoad = Number.NEGATIVE_INFINITY;
    let minLoad = Number.POSITIVE_INFINITY;
    let firstWeight = 0;
    let unequalWeights = false;
    for (let i = 0; i < servers.length; i++) {
      const server = servers[i]!;
      const weight = weightOf(server);
      if (weight === 0) continue;
      eligible++;
      const load = inFlightOf(server) / weight;
      if (load > maxLoad) maxLoad = load;
      if (load < minLoad) minLoad = load;
      if (firstWeight === 0) firstWeight = weight;
      else if (weight !== firstWeight) unequalWeights = true;
      if (server.load !== undefined && clock && freshReport(server, now, reportMaxAge) !== undefined) reported++;
      const average = averages[i];
      if (average === undefined || average.samples < latencyMinSamples) continue;
      measured++;
      if (average.latency > slowest) slowest = average.latency;
      if (average.latency < fastest) fastest = average.latency;
    }
    if (eligible === 0) return 'no_backend';
    if (clock) {
      if (reported >= thresholds.reportCoverage * eligible) return 'reports';
      if (measured >= 2 && spreadOf(slowest, fastest) >= thresholds.latencySpread) return 'latency_spread';
    }
    return seedDecision(maxLoad, minLoad, unequalWeights, thresholds);
  }

  /** Eligible servers with a fresh, well-formed report. */
  private reportedCount(servers: readonly Server[], now: number): number {
    let reported = 0;
    for (let i = 0; i < servers.length; i++) {
      const server = servers[i]!;
      if (weightOf(server) > 0 && freshReport(server, now, this.thresholds.reportMaxAge) !== undefined) reported++;
    }
    return reported;
  }

  /** A new list: per-index latency averages (kept by id), averages of departed servers dropped once they pile up. */
  private adopt(servers: readonly Server[]): void {
    if (this.averages.size > 2 * servers.length + 64) {
      const keep = new Set(servers.map((server) => server.id));
      for (const id of this.averages.keys()) if (!keep.has(id)) this.averages.delete(id);
    }
    this.averageAt = servers.map((server) => this.averages.get(server.id));
    this.snapshot = servers;
  }
}

/** slowest / fastest; Infinity when the fastest averages 0 and the slowest does not, 1 when both do. */
function spreadOf(slowest: number, fastest: number): number {
  if (fastest > 0) return slowest / fastest;
  return slowest > 0 ? Number.POSITIVE_INFINITY : 1;
}
