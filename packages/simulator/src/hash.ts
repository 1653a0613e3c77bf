/**
 * The two integer hashes the simulator needs: a bijective 32-bit mix (to derive stream
 * seeds and spread client addresses) and a string hash (for the seed's `hash(ip) % n`
 * baseline). A copy, 20 lines, of what @lbpoc/algorithms uses inside `ip_hash`: those are
 * not part of its public API, and the simulator's results do not depend on the two
 * packages sharing them, only on these staying as they are (the tests pin them).
 */

/** 32-bit FNV-1a over a string's UTF-16 code units, finished with `fmix32`. */
export function hashString(value: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** murmur3's 32-bit finaliser: a bijection in which every input bit affects every output bit. */
export function fmix32(input: number): number {
  let h = input;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
