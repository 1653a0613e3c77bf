import { weightOf } from './server-load.js';
import type { Server } from './types.js';

/**
 * The power-of-two-choices step shared by `p2c` and `peak_ewma`: draw two distinct servers
 * at random and keep the one `isBetter` prefers. A drawn server of weight 0 loses to any
 * eligible one; after a few draws that hit only drained servers, fall back to the best of
 * all eligible servers (so a mostly drained list still gets an answer). O(1) expected.
 */
export function chooseOfTwo<S extends Server>(
  servers: readonly S[],
  random: () => number,
  isBetter: (candidate: Server, current: Server) => boolean,
): S | undefined {
  const count = servers.length;
  if (count === 0) return undefined;
  if (count === 1) return weightOf(servers[0]!) > 0 ? servers[0] : undefined;
  for (let draw = 0; draw < 4; draw++) {
    const first = randomIndex(random, count);
    let second = randomIndex(random, count - 1);
    if (second >= first) second++;
    const a = servers[first]!;
    const b = servers[second]!;
    const aEligible = weightOf(a) > 0;
    const bEligible = weightOf(b) > 0;
    if (aEligible && bEligible) return isBetter(b, a) ? b : a;
    if (aEligible) return a;
    if (bEligible) return b;
  }
  let best: S | undefined;
  for (let i = 0; i < count; i++) {
    const server = servers[i]!;
    if (weightOf(server) > 0 && (best === undefined || isBetter(server, best))) best = server;
  }
  return best;
}

function randomIndex(random: () => number, count: number): number {
  const index = Math.floor(random() * count);
  return index < count ? index : count - 1; // a source that returns 1.0 stays in range
}
