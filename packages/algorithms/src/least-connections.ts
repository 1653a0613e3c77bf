import { inFlightOf, lessLoaded, weightOf } from './server-load.js';
import type { Algorithm, Server } from './types.js';

/**
 * Least connections, weight-aware: the server with the fewest requests in flight per unit
 * of weight. Ties are broken by rotating the starting point, so equally loaded servers
 * share the traffic instead of the first one taking it all.
 *
 * Complexity: O(n) per pick. No allocation.
 */
export class LeastConnections implements Algorithm {
  readonly name = 'least_connections';
  readonly lastUsed = 'least_connections';
  private cursor = 0;

  pick<S extends Server>(servers: readonly S[]): S | undefined {
    const count = servers.length;
    if (count === 0) return undefined;
    const start = this.cursor % count;
    let best = -1;
    let bestInFlight = 0;
    let bestWeight = 0;
    for (let step = 0; step < count; step++) {
      const index = start + step < count ? start + step : start + step - count;
      const server = servers[index]!;
      const weight = weightOf(server);
      if (weight === 0) continue;
      const inFlight = inFlightOf(server);
      if (best < 0 || lessLoaded(inFlight, weight, bestInFlight, bestWeight)) {
        best = index;
        bestInFlight = inFlight;
        bestWeight = weight;
      }
    }
    if (best < 0) return undefined;
    this.cursor = best + 1;
    return servers[best];
  }

  observe(): void {}
}
