import { describe, expect, it } from 'vitest';
import { fmix32, hashString } from '../src/hash.js';

// Pinned: every seeded stream, client address and modulo-baseline figure of the simulator
// goes through these two functions, so a change here changes every published result.
describe('hash', () => {
  it('fmix32 gives the values of murmur3 fmix32', () => {
    expect([0, 1, 0xffffffff].map(fmix32)).toEqual([0, 1364076727, 2180083513]);
  });

  it('hashString gives the values of FNV-1a + fmix32', () => {
    expect(['', '10.0.0.1', '203.0.113.7', 'ü€😀'].map((value) => hashString(value))).toEqual([2872998923, 2931590574, 339622278, 1992963933]);
  });

  it('fmix32 is a bijection: no two of 65,536 consecutive inputs collide', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 65_536; i++) seen.add(fmix32((0x9e3779b1 + i) >>> 0));
    expect(seen.size).toBe(65_536);
  });
});
