import { weightOf } from './server-load.js';
import type { Server } from './types.js';
import { WeightedSampler } from './weighted-sampler.js';

/**
 * The power-of-two-choices step shared by `p2c` and `peak_ewma`: draw two distinct
 * servers at random, each with probability proportional to its weight, and keep the one
 * `isBetter` prefers. Weighted drawing matters with unequal capacities: drawn uniformly,
 * a server with half the total weight would be in only ~half of the pairs and could
 * never get its share.
 *
 * A drawn server of weight 0 (drained in place) loses to any eligible one; after a few
 * draws without two distinct eligible servers, fall back to the best of all eligible
 * servers. O(1) expected per pick; O(n) when the list changes. No allocation per pick.
 */
export class TwoChoices {
  private readonly sampler = new WeightedSampler();

  constructor(
    private readonly random: () => number,
    private readonly isBetter: (candidate: Server, current: Server) => boolean,
  ) {}

  pick<S extends Server>(servers: readonly S[]): S | undefined {
    const count = servers.length;
    if (count === 0) return undefined;
    if (count === 1) return weightOf(servers[0]!) > 0 ? servers[0] : undefined;
    this.sampler.prepare(servers);
    if (this.sampler.totalWeight === 0) return undefined;
    for (let draw = 0; draw < 8; draw++) {
      const first = this.sampler.draw(this.random);
      const second = this.sampler.draw(this.random);
      if (first === second) continue;
      const a = servers[first]!;
      const b = servers[second]!;
      const aEligible = weightOf(a) > 0;
      const bEligible = weightOf(b) > 0;
      if (aEligible && bEligible) return this.isBetter(b, a) ? b : a;
      if (aEligible) return a;
      if (bEligible) return b;
    }
    return this.bestOfAll(servers);
  }

  /** Rare: one server holds nearly all the weight, or the list was drained in place. */
  private bestOfAll<S extends Server>(servers: readonly S[]): S | undefined {
    let best: S | undefined;
    for (let i = 0; i < servers.length; i++) {
      const server = servers[i]!;
      if (weightOf(server) > 0 && (best === undefined || this.isBetter(server, best))) best = server;
    }
    return best;
  }
}
