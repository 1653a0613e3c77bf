import { weightOf } from './server-load.js';
import type { Algorithm, Server } from './types.js';

/**
 * Smooth weighted round robin, as nginx does it (`ngx_http_upstream_get_peer`): every
 * pick adds each server's weight to its running score, takes the highest score and
 * subtracts the total weight from it. Weights 5, 1, 1 give `a a b a c a a`: exact
 * proportions in every cycle of sum(weights) picks, the heavy server's turns spread out.
 *
 * Complexity: O(n) per pick; O(n) to carry scores over when the list changes. No
 * allocation per pick. Scores are kept by server id across list changes.
 */
export class SmoothWeightedRoundRobin implements Algorithm {
  readonly name = 'weighted_round_robin';
  readonly lastUsed = 'weighted_round_robin';
  private snapshot: readonly Server[] | undefined;
  private scores = new Float64Array(0);

  pick<S extends Server>(servers: readonly S[]): S | undefined {
    if (servers !== this.snapshot || servers.length !== this.scores.length) this.adopt(servers);
    const scores = this.scores;
    let best = -1;
    let total = 0;
    for (let i = 0; i < servers.length; i++) {
      const weight = weightOf(servers[i]!);
      if (weight === 0) continue;
      scores[i]! += weight;
      total += weight;
      if (best < 0 || scores[i]! > scores[best]!) best = i;
    }
    if (best < 0) return undefined;
    scores[best]! -= total;
    return servers[best];
  }

  observe(): void {}

  /** A new list: keep each surviving server's score so the rotation continues smoothly. */
  private adopt(servers: readonly Server[]): void {
    const previous = new Map<string, number>();
    this.snapshot?.forEach((server, i) => previous.set(server.id, this.scores[i] ?? 0));
    this.scores = Float64Array.from(servers, (server) => previous.get(server.id) ?? 0);
    this.snapshot = servers;
  }
}
