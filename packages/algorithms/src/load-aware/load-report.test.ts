import { describe, expect, it } from 'vitest';
import { freshReport, isWellFormed, nonNegative, reportAge } from './load-report.js';

describe('load reports', () => {
  const report = { inFlight: 3, receivedAt: 1_000 };

  it('is fresh up to maxAge old, inclusive, and stale after', () => {
    expect(freshReport({ id: 'a', load: report }, 1_500, 500)).toBe(report);
    expect(freshReport({ id: 'a', load: report }, 1_501, 500)).toBeUndefined();
    expect(freshReport({ id: 'a' }, 1_000, 500)).toBeUndefined();
  });

  it('counts a report from the future as age 0, not as stale', () => {
    expect(reportAge(report, 900)).toBe(0);
    expect(freshReport({ id: 'a', load: report }, 900, 1)).toBe(report);
  });

  it('refuses malformed reports: NaN or negative in-flight counts, a non-finite time', () => {
    for (const bad of [
      { inFlight: Number.NaN, receivedAt: 0 },
      { inFlight: -1, receivedAt: 0 },
      { inFlight: Number.POSITIVE_INFINITY, receivedAt: 0 },
      { inFlight: 1, receivedAt: Number.NaN },
    ]) {
      expect(isWellFormed(bad)).toBe(false);
      expect(freshReport({ id: 'a', load: bad }, 0, 1_000)).toBeUndefined();
    }
    expect([nonNegative(0), nonNegative(2.5), nonNegative(-1), nonNegative(Number.NaN), nonNegative(undefined), nonNegative(Number.POSITIVE_INFINITY)]).toEqual(
      [0, 2.5, Number.NaN, Number.NaN, Number.NaN, Number.NaN],
    );
  });
});
