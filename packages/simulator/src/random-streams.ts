import { createRandom } from '@lbpoc/algorithms';
import { fmix32 } from './hash.js';

/**
 * The independent random streams of one run. Each concern draws from its own PRNG, seeded
 * from the run's seed and the stream's number, so that (a) changing how one concern uses
 * randomness does not shift the others, and (b) every policy sees the very same arrivals,
 * service demands and clients (common random numbers: differences between policies are
 * the policies', not the dice's).
 */
export const STREAMS = {
  arrivals: 1,
  service: 2,
  clients: 3,
  addresses: 4,
  policy: 5,
  balancers: 6,
  probes: 7,
  outside: 8,
} as const;

export type StreamName = keyof typeof STREAMS;

/** A 32-bit seed for `stream`, well mixed so that nearby run seeds give unrelated streams. */
export function deriveSeed(seed: number, stream: StreamName): number {
  return fmix32((Math.imul(seed >>> 0, 0x9e3779b1) ^ fmix32(STREAMS[stream])) >>> 0);
}

/** A uniform [0, 1) source for `stream` of the run with this seed. */
export function streamRandom(seed: number, stream: StreamName): () => number {
  return createRandom(deriveSeed(seed, stream));
}

/** Balancer `balancer`'s policy randomness: the `policy` stream for the first, a derived one for each other. */
export function policyRandom(seed: number, balancer: number): () => number {
  if (balancer === 0) return streamRandom(seed, 'policy');
  return createRandom(fmix32((deriveSeed(seed, 'policy') ^ Math.imul(balancer, 0x9e3779b1)) >>> 0));
}
