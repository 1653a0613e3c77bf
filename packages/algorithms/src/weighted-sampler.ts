import { weightOf } from './server-load.js';
import type { Server } from './types.js';

/**
 * Draws server indexes with probability proportional to weight in O(1), by Vose's alias
 * method: O(n) to build per server list, then two random numbers per draw. Servers of
 * weight 0 are never drawn. With equal weights it skips the table and draws uniformly.
 */
export class WeightedSampler {
  private snapshot: readonly Server[] | undefined;
  private snapshotLength = -1;
  private uniform = true;
  private probability = new Float64Array(0);
  private alias = new Int32Array(0);
  /** Total weight of the list the table was built from; 0 when nothing is eligible. */
  totalWeight = 0;

  /** Makes the table match `servers` (rebuilt only when the array or its length changed). */
  prepare(servers: readonly Server[]): void {
    if (servers === this.snapshot && servers.length === this.snapshotLength) return;
    this.snapshot = servers;
    this.snapshotLength = servers.length;
    this.build(servers);
  }

  /** An index into the prepared list; call `prepare` first. */
  draw(random: () => number): number {
    const count = this.snapshotLength;
    const index = clampIndex(Math.floor(random() * count), count);
    if (this.uniform) return index;
    return random() < this.probability[index]! ? index : this.alias[index]!;
  }

  private build(servers: readonly Server[]): void {
    const count = servers.length;
    let total = 0;
    let first = -1;
    this.uniform = true;
    for (let i = 0; i < count; i++) {
      const weight = weightOf(servers[i]!);
      total += weight;
      if (first < 0) first = weight;
      else if (weight !== first) this.uniform = false;
    }
    this.totalWeight = total;
    if (this.uniform || total === 0) return;

    const scaled = Float64Array.from(servers, (server) => (weightOf(server) * count) / total);
    this.probability = new Float64Array(count);
    this.alias = new Int32Array(count);
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((value, i) => (value < 1 ? small : large).push(i));
    while (small.length > 0 && large.length > 0) {
      const less = small.pop()!;
      const more = large.pop()!;
      this.probability[less] = scaled[less]!;
      this.alias[less] = more;
      scaled[more] = scaled[more]! + scaled[less]! - 1;
      (scaled[more]! < 1 ? small : large).push(more);
    }
    // Leftovers are 1 up to rounding error: always themselves.
    for (const i of large) this.probability[i] = 1;
    for (const i of small) this.probability[i] = 1;
  }
}

function clampIndex(index: number, count: number): number {
  return index < count ? index : count - 1; // a source that returns 1.0 stays in range
}
