import type { Algorithm, Server } from './types.js';
import { drawByScan, NO_SERVER } from './weighted-scan.js';

/**
 * Weighted random: each eligible server with probability weight / total weight. The
 * randomness is injected, so a seeded source gives a reproducible sequence.
 *
 * Complexity: O(n) per pick (two passes, `drawByScan`). No allocation.
 */
export class WeightedRandom implements Algorithm {
  readonly name = 'random';
  readonly lastUsed = 'random';

  constructor(private readonly random: () => number) {}

  pick<S extends Server>(servers: readonly S[]): S | undefined {
    const index = drawByScan(servers, this.random);
    return index === NO_SERVER ? undefined : servers[index];
  }

  observe(): void {}
}
