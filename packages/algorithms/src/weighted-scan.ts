import { weightOf } from './server-load.js';
import type { Server } from './types.js';

/** What `drawByScan` answers when no server is eligible. */
export const NO_SERVER = -1;

/**
 * An index into `servers`, drawn with probability weight / total weight among the eligible
 * servers (weight > 0) other than `excluded`; `NO_SERVER` when there is none. The
 * linear-time counterpart of `WeightedSampler`: no table, weights read live. `random`
 * (weighted random) draws with it on every pick; `TwoChoices` only when its alias table
 * keeps missing.
 *
 * Complexity: O(n), two passes, one random number. No allocation.
 */
export function drawByScan(servers: readonly Server[], random: () => number, excluded = NO_SERVER): number {
  let total = 0;
  for (let i = 0; i < servers.length; i++) if (i !== excluded) total += weightOf(servers[i]!);
  if (total === 0) return NO_SERVER;
  let target = random() * total;
  let last = NO_SERVER;
  for (let i = 0; i < servers.length; i++) {
    const weight = i === excluded ? 0 : weightOf(servers[i]!);
    if (weight === 0) continue;
    last = i;
    target -= weight;
    if (target < 0) return i;
  }
  return last; // floating-point rounding left target at ~0: the last eligible server
}
