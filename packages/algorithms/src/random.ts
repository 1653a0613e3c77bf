import { weightOf } from './server-load.js';
import type { Algorithm, Server } from './types.js';

/**
 * Weighted random: each eligible server with probability weight / total weight. The
 * randomness is injected, so a seeded source gives a reproducible sequence.
 *
 * Complexity: O(n) per pick (two passes). No allocation.
 */
export class WeightedRandom implements Algorithm {
  readonly name = 'random';
  readonly lastUsed = 'random';

  constructor(private readonly random: () => number) {}

  pick<S extends Server>(servers: readonly S[]): S | undefined {
    let total = 0;
    for (let i = 0; i < servers.length; i++) total += weightOf(servers[i]!);
    if (total === 0) return undefined;
    let target = this.random() * total;
    let last: S | undefined;
    for (let i = 0; i < servers.length; i++) {
      const server = servers[i]!;
      const weight = weightOf(server);
      if (weight === 0) continue;
      last = server;
      target -= weight;
      if (target < 0) return server;
    }
    return last; // floating-point rounding left target at ~0: the last eligible server
  }

  observe(): void {}
}
