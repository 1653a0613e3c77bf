import { describe, expect, it } from 'vitest';
import { interleave } from '../lib/schedule.mjs';

describe('interleave', () => {
  it('runs every algorithm once per round, rounds one after the other: A,B,C,A,B,C,...', () => {
    const order = interleave(['a', 'b', 'c'], 3);
    expect(order.map((r) => r.algorithm).join('')).toBe('abcabcabc');
    expect(order.map((r) => r.repetition)).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3]);
  });

  it('is the plain order once with one repetition, and refuses fewer than one', () => {
    expect(interleave(['x', 'y'], 1)).toEqual([
      { algorithm: 'x', repetition: 1 },
      { algorithm: 'y', repetition: 1 },
    ]);
    expect(() => interleave(['x'], 0)).toThrow(/repeat must be a positive integer/);
  });
});
