import { describe, expect, it } from 'vitest';
import { percentile, summarize } from '../lib/stats.mjs';

describe('percentile (nearest rank)', () => {
  const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
  it('is the ceil(p/100 * n)-th smallest', () => {
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('summarize', () => {
  it('counts errors (no answer, 4xx, 5xx) and each backend share', () => {
    const samples = [
      { ms: 10, status: 200, backend: 'a' },
      { ms: 20, status: 200, backend: 'b' },
      { ms: 30, status: 502, backend: 'a' },
      { ms: 40, status: 0, backend: null },
    ];
    const s = summarize({ algorithm: 'p2c', samples, seconds: 2 });
    expect(s).toMatchObject({ algorithm: 'p2c', requests: 4, rps: 2, p50: 20, p99: 40, max: 40, errors: 2 });
    expect(s.shares).toEqual({ '(none)': 0.25, a: 0.5, b: 0.25 });
  });
});
