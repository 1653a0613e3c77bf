/**
 * A small, fast, seedable PRNG (mulberry32): uniform in [0, 1), 2^32 period. Good enough
 * to pick servers and drive simulations; not for anything secret.
 *
 * The state lives in a typed array: a 32-bit unsigned value kept in a closure variable
 * would be boxed as a heap number on every step, an allocation per call.
 */
export function createRandom(seed = 1): () => number {
  const state = new Uint32Array([seed >>> 0]);
  return () => {
    const next = (state[0]! + 0x6d2b79f5) >>> 0;
    state[0] = next;
    let t = Math.imul(next ^ (next >>> 15), next | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
