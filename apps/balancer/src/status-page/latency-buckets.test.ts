import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUCKET_COUNT, BUCKETS_PER_DOUBLING, bucketOf, FIRST_BOUND_MS, lowerBoundMs, quantileMs } from './latency-buckets.js';

describe('bucketOf', () => {
  it('puts a latency between its bucket bounds, from 10 µs to minutes', () => {
    fc.assert(
      fc.property(fc.double({ min: FIRST_BOUND_MS, max: 100_000, noNaN: true }), (ms) => {
        const bucket = bucketOf(ms);
        expect(bucket).toBeGreaterThanOrEqual(1);
        expect(bucket).toBeLessThan(BUCKET_COUNT);
        // Floating point may put an exact bound on either side; 1e-9 relative slack.
        expect(ms).toBeGreaterThanOrEqual(lowerBoundMs(bucket) * (1 - 1e-9));
        if (bucket < BUCKET_COUNT - 1) expect(ms).toBeLessThan(lowerBoundMs(bucket + 1) * (1 + 1e-9));
      }),
    );
  });

  it('sends NaN, negatives and sub-10 µs to bucket 0, and very slow requests to the last bucket', () => {
    expect([bucketOf(Number.NaN), bucketOf(-1), bucketOf(0), bucketOf(0.0099)]).toEqual([0, 0, 0, 0]);
    expect(bucketOf(1e9)).toBe(BUCKET_COUNT - 1);
    expect(bucketOf(Number.POSITIVE_INFINITY)).toBe(BUCKET_COUNT - 1);
  });

  it('is monotonic', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 1e6, noNaN: true }), (a, b) => {
        if (a <= b) expect(bucketOf(a)).toBeLessThanOrEqual(bucketOf(b));
      }),
    );
  });
});

describe('quantileMs', () => {
  it('is null without samples', () => {
    expect(quantileMs(new Uint32Array(BUCKET_COUNT), 0, 0.99)).toBeNull();
  });

  it('is within one bucket (19%) of the exact quantile of the samples', () => {
    const ratio = 2 ** (1 / BUCKETS_PER_DOUBLING);
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.02, max: 60_000, noNaN: true }), { minLength: 1, maxLength: 400 }),
        fc.constantFrom(0.5, 0.9, 0.99),
        (samples, q) => {
          const counts = new Uint32Array(BUCKET_COUNT);
          for (const sample of samples) counts[bucketOf(sample)]!++;
          const sorted = [...samples].sort((a, b) => a - b);
          const exact = sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
          const estimate = quantileMs(counts, samples.length, q)!;
          expect(estimate).toBeGreaterThanOrEqual(exact / ratio);
          expect(estimate).toBeLessThanOrEqual(exact * ratio);
        },
      ),
    );
  });

  it('reads from an offset (a slot of a ring)', () => {
    const counts = new Uint32Array(3 * BUCKET_COUNT);
    counts[2 * BUCKET_COUNT + bucketOf(5)] = 10;
    const p50 = quantileMs(counts, 10, 0.5, 2 * BUCKET_COUNT)!;
    expect(p50).toBeGreaterThan(5 / 1.2);
    expect(p50).toBeLessThan(5 * 1.2);
  });
});
