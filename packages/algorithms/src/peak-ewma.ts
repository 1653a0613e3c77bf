import { InvalidAlgorithmOptionError } from './errors.js';
import { inFlightOf, weightOf } from './server-load.js';
import { TwoChoices } from './two-choices.js';
import type { Algorithm, Server } from './types.js';

/** Cost of a server with requests in flight but no latency sample yet (Finagle's Penalty). */
const UNMEASURED_PENALTY = 1e12;

interface Estimate {
  latency: number;
  stamp: number;
}

/**
 * Peak EWMA (Finagle's `PeakEwma`, tower's `PeakEwma`): power of two choices where the
 * cost of a server is its latency estimate times (in flight + 1), divided by its weight.
 * The estimate is an exponentially weighted moving average over time with decay constant
 * `decayTime`, except that a sample slower than the estimate replaces it at once: a server
 * that turns slow is avoided immediately, and earns its way back as the estimate decays.
 *
 * Where two candidates cost the same (nothing in flight and no sample yet, or equal
 * estimates and equal weights) the first draw is kept, so the picks follow the weights
 * exactly (`TwoChoices`). Once measured, the weight divides the cost: of two idle servers
 * with equal estimates the heavier wins its pair, so at light load it gets more than its
 * weight share (weight counts once in the draw and once in the cost).
 *
 * Complexity: O(1) per pick (two map lookups, one `exp`); O(1) per `observe`. No
 * allocation per pick; one small object per server the first time it is observed.
 */
export class PeakEwma implements Algorithm {
  readonly name = 'peak_ewma';
  readonly lastUsed = 'peak_ewma';
  private readonly estimates = new Map<string, Estimate>();
  private readonly choices: TwoChoices;

  constructor(
    random: () => number,
    private readonly now: () => number,
    private readonly decayTime: number,
  ) {
    this.choices = new TwoChoices(random, (candidate, current) => this.cost(candidate) < this.cost(current));
    if (!(decayTime > 0 && Number.isFinite(decayTime))) {
      throw new InvalidAlgorithmOptionError('decayTime', `must be a positive finite number, got ${decayTime}`);
    }
  }

  pick<S extends Server>(servers: readonly S[]): S | undefined {
    if (this.estimates.size > 2 * servers.length + 64) this.forgetAllBut(servers);
    return this.choices.pick(servers);
  }

  observe(serverId: string, latency: number): void {
    if (!(latency >= 0 && Number.isFinite(latency))) return; // a broken sample must not poison the estimate
    const now = this.now();
    const estimate = this.estimates.get(serverId);
    if (estimate === undefined) {
      this.estimates.set(serverId, { latency, stamp: now });
      return;
    }
    if (latency > estimate.latency) {
      estimate.latency = latency; // the peak: a slower sample wins at once
    } else {
      const past = this.weightOfPast(estimate, now);
      estimate.latency = estimate.latency * past + latency * (1 - past);
    }
    estimate.stamp = now;
  }

  /** The latency estimate of a server now (decayed towards zero while it gets no samples), or undefined if never observed. */
  latencyOf(serverId: string): number | undefined {
    const estimate = this.estimates.get(serverId);
    return estimate === undefined ? undefined : this.decayed(estimate, this.now());
  }

  private cost(server: Server): number {
    const weight = weightOf(server);
    const inFlight = inFlightOf(server);
    const estimate = this.estimates.get(server.id);
    const latency = estimate === undefined ? 0 : this.decayed(estimate, this.now());
    if (latency === 0) return inFlight === 0 ? 0 : (UNMEASURED_PENALTY + inFlight) / weight;
    return (latency * (inFlight + 1)) / weight;
  }

  private decayed(estimate: Estimate, now: number): number {
    return estimate.latency * this.weightOfPast(estimate, now);
  }

  private weightOfPast(estimate: Estimate, now: number): number {
    const elapsed = now - estimate.stamp;
    return elapsed > 0 ? Math.exp(-elapsed / this.decayTime) : 1;
  }

  /** Drops estimates of servers that left the list, so churn does not grow memory. */
  private forgetAllBut(servers: readonly Server[]): void {
    const keep = new Set(servers.map((server) => server.id));
    for (const id of this.estimates.keys()) if (!keep.has(id)) this.estimates.delete(id);
  }
}
