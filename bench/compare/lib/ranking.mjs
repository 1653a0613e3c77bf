/**
 * Does the real run rank the algorithms as the simulator predicted? Both are ranked by p99
 * (lowest first); the agreement is Spearman's rank correlation (1: the same order, 0: no
 * relation, -1: reversed), the top three of each, and, for every pair the two order
 * differently, whether the measured p99s' confidence intervals overlap (then the real run
 * cannot tell those two apart, and the disagreement is within its noise).
 */

/** Ranks from 1 (smallest value), ties sharing the mean of their ranks. */
export function ranks(values) {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const result = new Array(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1].value === order[i].value) j++;
    for (let k = i; k <= j; k++) result[order[k].index] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return result;
}

/** Spearman's rho: Pearson's correlation of the ranks (exact with ties). NaN under 2 values or no spread. */
export function spearman(a, b) {
  if (a.length !== b.length) throw new RangeError(`spearman: ${a.length} values against ${b.length}`);
  if (a.length < 2) return Number.NaN;
  const ra = ranks(a);
  const rb = ranks(b);
  const mean = (ra.length + 1) / 2;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < ra.length; i++) {
    num += (ra[i] - mean) * (rb[i] - mean);
    da += (ra[i] - mean) ** 2;
    db += (rb[i] - mean) ** 2;
  }
  return da === 0 || db === 0 ? Number.NaN : num / Math.sqrt(da * db);
}

const overlap = (x, y) => x !== undefined && y !== undefined && x.low <= y.high && y.low <= x.high;

/**
 * @param {{ algorithm: string, measured: number, predicted: number, ci?: { low: number, high: number } }[]} rows
 * @returns {{ rho: number, measuredOrder: string[], predictedOrder: string[], top3Measured: string[], top3Predicted: string[], top3SameSet: boolean, bestAgrees: boolean, rows: { algorithm: string, measuredRank: number, predictedRank: number }[], swaps: { better: string, worse: string, withinNoise: boolean }[] }}
 *   `swaps`: pairs the simulator puts one way (`better` ahead) and the real run the other.
 */
export function compareRankings(rows) {
  const measuredRanks = ranks(rows.map((r) => r.measured));
  const predictedRanks = ranks(rows.map((r) => r.predicted));
  const byRank = (rankList) =>
    rows
      .map((r, i) => [r.algorithm, rankList[i]])
      .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
      .map(([algorithm]) => algorithm);
  const measuredOrder = byRank(measuredRanks);
  const predictedOrder = byRank(predictedRanks);
  const swaps = [];
  for (let i = 0; i < rows.length; i++)
    for (let j = 0; j < rows.length; j++)
      if (rows[i].predicted < rows[j].predicted && rows[i].measured > rows[j].measured)
        swaps.push({ better: rows[i].algorithm, worse: rows[j].algorithm, withinNoise: overlap(rows[i].ci, rows[j].ci) });
  const top3Measured = measuredOrder.slice(0, 3);
  const top3Predicted = predictedOrder.slice(0, 3);
  return {
    rho: spearman(
      rows.map((r) => r.measured),
      rows.map((r) => r.predicted),
    ),
    measuredOrder,
    predictedOrder,
    top3Measured,
    top3Predicted,
    top3SameSet: top3Measured.length === top3Predicted.length && top3Measured.every((a) => top3Predicted.includes(a)),
    bestAgrees: measuredOrder[0] === predictedOrder[0],
    rows: rows.map((r, i) => ({ algorithm: r.algorithm, measuredRank: measuredRanks[i], predictedRank: predictedRanks[i] })),
    swaps,
  };
}
