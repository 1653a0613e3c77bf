import { describe, expect, it } from 'vitest';
import { compareRankings, ranks, spearman } from '../lib/ranking.mjs';
import { verdict } from '../lib/report-slowed.mjs';

describe('ranks and Spearman', () => {
  it('ranks from 1, ties sharing the mean of their ranks', () => {
    expect(ranks([30, 10, 20, 20])).toEqual([4, 1, 2.5, 2.5]);
  });

  it('is 1 for the same order, -1 for the reverse', () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBe(1);
    expect(spearman([1, 2, 3, 4], [40, 30, 20, 10])).toBe(-1);
  });

  it('matches a worked example: IQ against hours of TV, rho = -29/165', () => {
    const iq = [106, 86, 100, 101, 99, 103, 97, 113, 112, 110];
    const tv = [7, 0, 27, 50, 28, 29, 20, 12, 6, 17];
    expect(spearman(iq, tv)).toBeCloseTo(-29 / 165, 10);
  });

  it('is NaN with fewer than two values or no spread', () => {
    expect(spearman([1], [2])).toBeNaN();
    expect(spearman([1, 1], [1, 2])).toBeNaN();
  });
});

describe('compareRankings', () => {
  const ci = (low, high) => ({ low, high });
  const rows = [
    { algorithm: 'a', measured: 100, predicted: 10, ci: ci(90, 110) },
    { algorithm: 'b', measured: 105, predicted: 30, ci: ci(95, 115) }, // swapped with c, intervals overlap
    { algorithm: 'c', measured: 104, predicted: 20, ci: ci(100, 120) },
    { algorithm: 'd', measured: 500, predicted: 50, ci: ci(450, 550) },
    { algorithm: 'e', measured: 300, predicted: 60, ci: ci(280, 320) }, // swapped with d, apart
  ];
  const result = compareRankings(rows);

  it('ranks both lists and finds the pairs in the other order, with or without overlapping intervals', () => {
    expect(result.measuredOrder).toEqual(['a', 'c', 'b', 'e', 'd']);
    expect(result.predictedOrder).toEqual(['a', 'c', 'b', 'd', 'e']);
    expect(result.swaps).toEqual([{ better: 'd', worse: 'e', withinNoise: false }]);
    // Two neighbours swapped (rank differences 1 and 1): 1 - 6 x 2 / (5 x (25 - 1)) = 0.9.
    expect(result.rho).toBeCloseTo(0.9, 10);
    expect(result.top3Measured).toEqual(['a', 'c', 'b']);
    expect(result.top3SameSet).toBe(true);
    expect(result.bestAgrees).toBe(true);
    expect(result.rows.find((r) => r.algorithm === 'e')).toEqual({ algorithm: 'e', measuredRank: 4, predictedRank: 5 });
  });

  it('says plainly whether the rankings agree, agree within noise, or differ', () => {
    expect(verdict(result)).toMatch(/^The rankings differ: 1 pair\(s\) .* \(e ahead of d\); 0 more/);
    const noisy = compareRankings([
      { algorithm: 'x', measured: 11, predicted: 1, ci: ci(9, 13) },
      { algorithm: 'y', measured: 10, predicted: 2, ci: ci(8, 12) },
    ]);
    expect(noisy.swaps).toEqual([{ better: 'x', worse: 'y', withinNoise: true }]);
    expect(verdict(noisy)).toMatch(/^The rankings agree within the real run's noise/);
    expect(verdict(compareRankings(rows.slice(0, 1).concat(rows.slice(3, 4))))).toMatch(/^The rankings agree: the real run orders/);
  });
});
