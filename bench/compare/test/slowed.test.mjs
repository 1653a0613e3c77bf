import * as simulator from '@lbpoc/simulator';
import { describe, expect, it } from 'vitest';
import { compareRankings } from '../lib/ranking.mjs';
import { slowedReport } from '../lib/report-slowed.mjs';
import { capacity, MODEL_DIFFERENCES, predict, SLOWED_DEFAULTS, simulatorModel, slowedSpecs } from '../lib/slowed.mjs';

describe('the slowed scenario', () => {
  it('slows the last backend by the factor, in the real specs and in the model alike', () => {
    const { normal, slowed } = slowedSpecs(SLOWED_DEFAULTS);
    expect(normal.map((b) => b.delay)).toEqual(['exp:30', 'exp:30', 'exp:30']);
    expect(slowed).toMatchObject({ id: 'backend-3', delay: 'exp:90' });
    const model = simulatorModel({ scenario: SLOWED_DEFAULTS, rate: 100, requests: 700, slowAt: 3, warmup: 2 });
    expect(model.servers.map((s) => s.concurrency)).toEqual([2, 2, 2]);
    expect(model.servers.map((s) => s.capacityChanges ?? [])).toEqual([[], [], [{ at: 3000, speed: 1 / 3 }]]);
    expect(model).toMatchObject({ balancers: 2, warmup: 200, requests: 700, service: { kind: 'exponential', mean: 30 }, arrivals: { rate: 0.1 } });
    expect(capacity(SLOWED_DEFAULTS).before).toBeCloseTo(200, 6);
    expect(capacity(SLOWED_DEFAULTS).after).toBeCloseTo(155.56, 1);
  });

  it('predicts with the simulator: same seeds, same figures; the oracle beside; round robin behind', () => {
    const model = simulatorModel({ scenario: SLOWED_DEFAULTS, rate: 100, requests: 400, slowAt: 1, warmup: 1 });
    const first = predict(simulator, model, ['round_robin', 'least_connections'], { seeds: 3 });
    expect(predict(simulator, model, ['round_robin', 'least_connections'], { seeds: 3 })).toEqual(first);
    expect(Object.keys(first)).toEqual(['round_robin', 'least_connections', 'jsq_oracle']);
    expect(first.round_robin.slowedShare).toBeCloseTo(1 / 3, 1);
    expect(first.least_connections.p99).toBeLessThan(first.round_robin.p99);
    expect(first.round_robin.p99Low).toBeLessThanOrEqual(first.round_robin.p99);
  });

  it('writes the measurement beside the prediction, with ranks and the verdict', () => {
    const summary = (algorithm, p99, share) => ({
      algorithm,
      p99,
      p50: p99 / 4,
      p95: p99 / 2,
      rps: 100,
      errors: 0,
      late: 2,
      capped: 0,
      shares: { '127.0.0.1:1': 1 - share, '127.0.0.1:3': share },
      repetitionP99: [p99 - 1, p99 + 1],
      ci: { low: p99 - 5, high: p99 + 5, level: 0.95, resamples: 2000 },
    });
    const summaries = [summary('round_robin', 900, 0.33), summary('prequal', 200, 0.1)];
    const prediction = (p99, share) => ({ p99, p99Low: p99 - 10, p99High: p99 + 10, p50: 1, slowedShare: share, seeds: 20 });
    const predictions = { round_robin: prediction(2000, 0.33), prequal: prediction(210, 0.2), jsq_oracle: prediction(205, 0.21) };
    const ranking = compareRankings(summaries.map((s) => ({ algorithm: s.algorithm, measured: s.p99, predicted: predictions[s.algorithm].p99, ci: s.ci })));
    const md = slowedReport({
      summaries,
      predictions,
      ranking,
      setup: ['S'],
      load: ['L'],
      generated: 'd',
      backendNames: { '127.0.0.1:1': 'backend-1', '127.0.0.1:3': 'backend-3' },
      slowedBackend: '127.0.0.1:3',
      differences: MODEL_DIFFERENCES,
      oracle: 'jsq_oracle',
      runtime: '1 min',
    });
    expect(md).toContain('| prequal | 200.0 | 195.0–205.0 | 199, 201 | 210.0 | 200.0–220.0 | 1 | 1 | 10.0% | 20.0% |');
    expect(md).toContain('| round_robin | 900.0 | 895.0–905.0 | 899, 901 | 2000.0 | 1990.0–2010.0 | 2 | 2 | 33.0% | 33.0% |');
    expect(md).toContain('| jsq_oracle (simulator only, reference) | | | | 205.0 |');
    expect(md).toContain('Spearman rank correlation of measured and predicted p99: **1.00** over 2 algorithms');
    expect(md).toContain('The rankings agree: the real run orders the algorithms exactly as the simulator predicts.');
    expect(md).toContain('](comparison-slowed.svg)');
  });
});
