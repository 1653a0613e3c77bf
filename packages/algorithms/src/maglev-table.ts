import { hashString } from './hash.js';
import { weightOf } from './server-load.js';
import type { Server } from './types.js';

/** Slots per server at least; more slots, finer balance (Maglev paper: M >> N). */
const SLOTS_PER_SERVER = 100;
const MIN_TABLE_SIZE = 65_537;
const MAX_TABLE_SIZE = 4_194_319;

/**
 * A Maglev lookup table (Eisenbud et al., NSDI 2016), weighted as Envoy does it: each
 * server walks its own permutation of the slots and claims the next free one, the
 * heaviest server on every round and lighter ones in proportion to their weight. The
 * result: shares within one slot of the weights, and a server added or removed moves
 * close to the minimum number of keys.
 *
 * The table holds indexes into the server array it was built from.
 * Complexity: O(M log M)-ish to build (M = table size, a prime >= 100 n); O(1) lookup.
 */
export class MaglevTable {
  readonly slots: Int32Array;

  constructor(servers: readonly Server[]) {
    const eligible: number[] = [];
    servers.forEach((server, index) => {
      if (weightOf(server) > 0) eligible.push(index);
    });
    const size = nextPrime(Math.min(MAX_TABLE_SIZE, Math.max(MIN_TABLE_SIZE, SLOTS_PER_SERVER * eligible.length)));
    this.slots = new Int32Array(size).fill(-1);
    if (eligible.length === 0) return;

    const offsets = eligible.map((index) => hashString(servers[index]!.id) % size);
    const skips = eligible.map((index) => (hashString(servers[index]!.id, 0x2f6b3a1d) % (size - 1)) + 1);
    const next = new Array<number>(eligible.length).fill(0);
    const weights = eligible.map((index) => weightOf(servers[index]!));
    const maxWeight = Math.max(...weights);
    const credit = new Array<number>(eligible.length).fill(0);

    let filled = 0;
    while (filled < size) {
      for (let e = 0; e < eligible.length && filled < size; e++) {
        credit[e]! += weights[e]!;
        if (credit[e]! < maxWeight) continue; // a lighter server skips this round
        credit[e]! -= maxWeight;
        let slot: number;
        do {
          slot = (offsets[e]! + next[e]! * skips[e]!) % size;
          next[e]!++;
        } while (this.slots[slot] !== -1);
        this.slots[slot] = eligible[e]!;
        filled++;
      }
    }
  }

  /** Index into the server array for a key's hash; -1 when no server was eligible. */
  lookup(hash: number): number {
    return this.slots[hash % this.slots.length]!;
  }
}

function nextPrime(from: number): number {
  for (let candidate = from | 1; ; candidate += 2) if (isPrime(candidate)) return candidate;
}

function isPrime(value: number): boolean {
  if (value < 2) return false;
  for (let divisor = 2; divisor * divisor <= value; divisor++) if (value % divisor === 0) return false;
  return true;
}
