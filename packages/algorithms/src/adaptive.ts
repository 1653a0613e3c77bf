import { LeastConnections } from './least-connections.js';
import { RoundRobin } from './round-robin.js';
import { inFlightOf, weightOf } from './server-load.js';
import { SmoothWeightedRoundRobin } from './smooth-weighted-round-robin.js';
import type { AdaptiveChoice, AdaptiveThresholds, Algorithm, Server } from './types.js';

/**
 * Default thresholds, in requests in flight per unit of weight. With them, a server that
 * falls two requests behind the others (a slow or stuck one) switches the selector to
 * least connections before its queue grows long.
 */
export const DEFAULT_ADAPTIVE_THRESHOLDS: AdaptiveThresholds = { highLoad: 8, imbalance: 2 };

/**
 * The seed's decision tree, as a pure function of the servers' current load:
 * high load (the busiest server has `highLoad` or more in flight per unit weight, or the
 * gap between busiest and least busy is `imbalance` or more) -> least connections;
 * else unequal weights -> weighted round robin; else -> round robin.
 *
 * Complexity: O(n). No allocation.
 */
export function decideAdaptive(servers: readonly Server[], thresholds: AdaptiveThresholds = DEFAULT_ADAPTIVE_THRESHOLDS): AdaptiveChoice {
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
  if (maxLoad >= thresholds.highLoad || maxLoad - minLoad >= thresholds.imbalance) return 'least_connections';
  return unequalWeights ? 'weighted_round_robin' : 'round_robin';
}

/**
 * Adaptive selection: on each pick, `decideAdaptive` chooses the algorithm and the pick is
 * delegated to it. Each delegate keeps its own state across switches. `lastUsed` tells
 * which one picked, for the balancer's selection timeline.
 *
 * Complexity: O(n) per pick (the decision plus the delegate). No allocation.
 */
export class Adaptive implements Algorithm {
  readonly name = 'adaptive';
  lastUsed: AdaptiveChoice = 'round_robin';
  private readonly delegates: Record<AdaptiveChoice, Algorithm> = {
    round_robin: new RoundRobin(),
    weighted_round_robin: new SmoothWeightedRoundRobin(),
    least_connections: new LeastConnections(),
  };

  constructor(private readonly thresholds: AdaptiveThresholds = DEFAULT_ADAPTIVE_THRESHOLDS) {}

  pick<S extends Server>(servers: readonly S[]): S | undefined {
    this.lastUsed = decideAdaptive(servers, this.thresholds);
    return this.delegates[this.lastUsed].pick(servers);
  }

  observe(): void {}
}
