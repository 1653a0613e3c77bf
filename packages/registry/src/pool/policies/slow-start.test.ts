import { describe, expect, it } from 'vitest';
import { slowStartFactor } from './slow-start.js';

describe('slowStartFactor', () => {
  it('ramps linearly from 10% to 100%', () => {
    expect([0, 2500, 5000, 7500, 9999, 10_000, 20_000].map((t) => slowStartFactor(t, 10_000))).toEqual([0.1, 0.325, 0.55, 0.775, 0.99991, 1, 1]);
  });

  it('is always 1 when slow start is off', () => {
    expect(slowStartFactor(0, 0)).toBe(1);
  });
});
