import { describe, expect, it } from 'vitest';
import { ObservedRate } from './observed-rate.js';

describe('ObservedRate (own completions per window)', () => {
  it('gives the last full window rate, nothing before the first window ends', () => {
    const rates = new ObservedRate(1_000);
    for (let t = 0; t < 1_000; t += 10) rates.observe('a', t); // 100 in the first second
    expect(rates.rateOf('a', 999)).toBeUndefined();
    rates.observe('a', 1_000); // closes the first window: 100 / 1000
    expect(rates.rateOf('a', 1_200)).toBeCloseTo(0.1, 12);
    for (let t = 1_010; t < 2_000; t += 20) rates.observe('a', t); // slower in the second window
    rates.observe('a', 2_000);
    expect(rates.rateOf('a', 2_000)).toBeCloseTo(51 / 1_000, 12); // the completion that opened the window counts in it
  });

  it('drifts towards 0 when the server stops completing requests', () => {
    const rates = new ObservedRate(1_000);
    for (let t = 0; t <= 1_000; t += 10) rates.observe('a', t);
    const before = rates.rateOf('a', 1_500)!;
    expect(rates.rateOf('a', 5_000)!).toBeLessThan(before / 3);
    expect(rates.rateOf('never', 5_000)).toBeUndefined();
    rates.retainOnly(new Set());
    expect(rates.size).toBe(0);
  });
});
