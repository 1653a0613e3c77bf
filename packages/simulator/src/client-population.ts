import { fmix32 } from './hash.js';

/**
 * Who sends the requests: `count` distinct clients, each with its own IPv4 address (what
 * `ip_hash` hashes), chosen per request either uniformly or by a Zipf law of exponent
 * `exponent` (client of rank k sends in proportion to 1 / k^exponent), because real
 * traffic has heavy hitters, and a hashing balancer pins each of them to one server.
 */
export interface ClientPopulation {
  readonly count: number;
  readonly distribution: 'uniform' | { readonly zipf: number };
}

/**
 * `count` distinct IPv4 addresses, spread over the whole address space. The i-th is the
 * bijective mix `fmix32(offset + i)`, so they are distinct without a set to check, and a
 * different seed (offset) gives a different population.
 */
export function clientAddresses(count: number, seed: number): string[] {
  validateCount(count);
  const addresses = new Array<string>(count);
  for (let i = 0; i < count; i++) addresses[i] = formatIPv4(fmix32((seed + i) >>> 0));
  return addresses;
}

/** Dotted-quad form of a 32-bit unsigned integer. */
export function formatIPv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

/** A sampler of client indexes (0 .. count - 1) drawing from `random`. */
export function createClientSampler(population: ClientPopulation, random: () => number): () => number {
  const { count, distribution } = population;
  validateCount(count);
  if (distribution === 'uniform') return () => Math.min(count - 1, Math.floor(random() * count));
  const exponent = distribution.zipf;
  if (!(exponent >= 0 && Number.isFinite(exponent))) {
    throw new RangeError(`clients: zipf exponent must be a non-negative finite number, got ${exponent}`);
  }
  // Cumulative weights; a draw is a binary search for the first rank whose cumulative
  // weight exceeds u * total. O(count) once, O(log count) per draw.
  const cumulative = new Float64Array(count);
  let total = 0;
  for (let rank = 0; rank < count; rank++) {
    total += 1 / (rank + 1) ** exponent;
    cumulative[rank] = total;
  }
  return () => {
    const target = random() * total;
    let low = 0;
    let high = count - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (cumulative[middle]! > target) high = middle;
      else low = middle + 1;
    }
    return low;
  };
}

function validateCount(count: number): void {
  if (!(Number.isInteger(count) && count > 0 && count <= 2 ** 32)) {
    throw new RangeError(`clients: count must be an integer from 1 to 2^32, got ${count}`);
  }
}
