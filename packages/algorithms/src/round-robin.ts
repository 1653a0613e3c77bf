import { weightOf } from './server-load.js';
import type { Algorithm, Server } from './types.js';

/**
 * Round robin: each eligible server in turn, ignoring weights and load.
 *
 * Complexity: O(1) per pick (O(n) only while skipping servers of weight 0). No allocation.
 * The cursor survives list changes; it is taken modulo the new length.
 */
export class RoundRobin implements Algorithm {
  readonly name = 'round_robin';
  readonly lastUsed = 'round_robin';
  private cursor = 0;

  pick<S extends Server>(servers: readonly S[]): S | undefined {
    const count = servers.length;
    for (let tries = 0; tries < count; tries++) {
      const index = this.cursor % count;
      this.cursor = index + 1;
      const server = servers[index]!;
      if (weightOf(server) > 0) return server;
    }
    return undefined;
  }

  observe(): void {}
}
