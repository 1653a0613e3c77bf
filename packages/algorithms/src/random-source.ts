/**
 * A small, fast, seedable PRNG (mulberry32): uniform in [0, 1), 2^32 period. Good enough
 * to pick servers and drive simulations; not for anything secret.
 */
export function createRandom(seed = 1): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
