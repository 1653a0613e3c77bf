import { describe, expect, it } from 'vitest';
import { afterWarmup, bootstrapPercentileCI, groupedBootstrapPercentileCI, percentile, summarize, summarizeRepetitions } from '../lib/stats.mjs';

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

describe('bootstrapPercentileCI', () => {
  it('is a single point on constant data', () => {
    expect(bootstrapPercentileCI(Array(500).fill(7), 99)).toMatchObject({ low: 7, high: 7, level: 0.95, resamples: 2000, groups: 1 });
  });

  it('brackets the p99 of 1..1000 (990) tightly, and is the same for the same seed', () => {
    const values = Array.from({ length: 1000 }, (_, i) => 1000 - i); // unsorted on purpose
    const ci = bootstrapPercentileCI(values, 99, { seed: 3 });
    expect(
      percentile(
        [...values].sort((a, b) => a - b),
        99,
      ),
    ).toBe(990);
    expect(ci.low).toBeLessThanOrEqual(990);
    expect(ci.high).toBeGreaterThanOrEqual(990);
    // The 990th of 1000 resampled: its rank moves by about sqrt(1000 x 0.01) = 3.1, so +-6 or so at 95%.
    expect(ci.low).toBeGreaterThanOrEqual(980);
    expect(ci.high).toBeLessThanOrEqual(1000);
    expect(ci.high - ci.low).toBeGreaterThanOrEqual(4);
    expect(bootstrapPercentileCI(values, 99, { seed: 3 })).toEqual(ci);
  });

  it('widens with fewer samples', () => {
    const many = Array.from({ length: 2000 }, (_, i) => i);
    const few = many.filter((_, i) => i % 10 === 0);
    const width = (ci) => (ci.high - ci.low) / 2000;
    expect(width(bootstrapPercentileCI(few, 99))).toBeGreaterThan(width(bootstrapPercentileCI(many, 99)));
  });

  it('is NaN without samples', () => {
    expect(bootstrapPercentileCI([], 99).low).toBeNaN();
  });
});

describe('groupedBootstrapPercentileCI', () => {
  const range = (from, count) => Array.from({ length: count }, (_, i) => from + i);

  it('widens when the repetitions disagree, which the pooled bootstrap hides', () => {
    // One quiet repetition (1..500) and one slow (1001..1500): pooled, p99 is 1490.
    const groups = [range(1, 500), range(1001, 500)];
    const pooled = bootstrapPercentileCI(groups.flat(), 99);
    const grouped = groupedBootstrapPercentileCI(groups, 99);
    expect(pooled.low).toBeGreaterThan(1480);
    // A resample may draw the quiet repetition twice: its p99 is then about 495.
    expect(grouped.low).toBeLessThan(500);
    expect(grouped.high).toBeGreaterThanOrEqual(1490);
    expect(grouped.groups).toBe(2);
  });

  it('is about the pooled interval when the repetitions agree, and the plain one with one group', () => {
    const a = range(1, 1000);
    const grouped = groupedBootstrapPercentileCI([a, a, a], 99);
    expect(grouped.low).toBeGreaterThanOrEqual(980);
    expect(grouped.high).toBeLessThanOrEqual(1000);
    expect(groupedBootstrapPercentileCI([a], 99, { seed: 5 })).toEqual({ ...bootstrapPercentileCI(a, 99, { seed: 5 }), groups: 1 });
  });
});

describe('summarizeRepetitions and afterWarmup', () => {
  const run = (values, lateAt = -1) => ({
    samples: values.map((ms, i) => ({ ms, status: 200, backend: 'a', due: i / 10, lateMs: i === lateAt ? 50 : 0 })),
    seconds: values.length / 10,
    capped: 0,
  });

  it('pools the repetitions, keeps each one p99, counts late sends over 10 ms', () => {
    const s = summarizeRepetitions({ algorithm: 'p2c', runs: [run([1, 2, 3, 4], 2), run([10, 20, 30, 40])] });
    expect(s).toMatchObject({ algorithm: 'p2c', requests: 8, repetitions: 2, repetitionP99: [4, 40], p99: 40, late: 1, rps: 10 });
    expect(s.ci.low).toBeLessThanOrEqual(40);
  });

  it('leaves the warm-up seconds out', () => {
    const trimmed = afterWarmup(run([5, 6, 7, 8, 9]), 0.2);
    expect(trimmed.samples.map((x) => x.ms)).toEqual([7, 8, 9]);
    expect(trimmed.seconds).toBeCloseTo(0.3, 10);
    expect(afterWarmup(run([5]), 0).samples).toHaveLength(1);
  });
});
