import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quantileInPlace } from './quantile.js';

/** The definition, the slow way: sort, then interpolate between the ranks around q x (n - 1). */
function reference(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = q * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

describe('quantileInPlace (linear interpolation, numpy default)', () => {
  it('interpolates between the ranks around q x (n - 1)', () => {
    expect(quantileInPlace(Float64Array.from([5, 1, 2]), 3, 0.84)).toBeCloseTo(2 + 0.68 * 3, 12); // 4.04: the 5 is above it
    expect(quantileInPlace(Float64Array.from([3, 3, 3, 3]), 4, 0.84)).toBe(3);
    expect(quantileInPlace(Float64Array.from([7]), 1, 0.84)).toBe(7);
    expect(quantileInPlace(Float64Array.from([4, 1, 9, 0]), 4, 0)).toBe(0);
    expect(quantileInPlace(Float64Array.from([4, 1, 9, 0]), 4, 1)).toBe(9);
    expect(quantileInPlace(Float64Array.from([1, 2, 3, 4, 99]), 3, 1)).toBe(3); // only the first `count` values count
  });

  it('equals sorting and interpolating, for any values (ties included) and any q', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 40 }), fc.double({ min: 0, max: 1, noNaN: true }), (values, q) => {
        expect(quantileInPlace(Float64Array.from(values), values.length, q)).toBeCloseTo(reference(values, q), 9);
      }),
    );
  });
});
