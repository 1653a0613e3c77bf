import { describe, expect, it } from 'vitest';
import { reportedWeight } from './reported-weight.js';

describe('reportedWeight (gRPC A58)', () => {
  it('is qps / utilization, and charges errors as utilization', () => {
    expect(reportedWeight({ inFlight: 0, utilization: 0.5, receivedAt: 0 }, 100, 1)).toBe(200);
    // 100 qps, 20 of them errors, penalty 1: 100 / (0.5 + 0.2)
    expect(reportedWeight({ inFlight: 0, utilization: 0.5, eps: 20, receivedAt: 0 }, 100, 1)).toBeCloseTo(100 / 0.7, 12);
    expect(reportedWeight({ inFlight: 0, utilization: 0.5, eps: 20, receivedAt: 0 }, 100, 0)).toBe(200);
  });

  it('is 0 (no usable weight) without a positive qps and utilization', () => {
    const cases: [number | undefined, number | undefined][] = [
      [undefined, 0.5],
      [100, undefined],
      [0, 0.5],
      [100, 0],
      [Number.NaN, 0.5],
      [100, -0.1],
      [Number.POSITIVE_INFINITY, 0.5],
    ];
    for (const [qps, utilization] of cases) {
      const report = utilization === undefined ? { inFlight: 0, receivedAt: 0 } : { inFlight: 0, utilization, receivedAt: 0 };
      expect(reportedWeight(report, qps, 1)).toBe(0);
    }
  });
});
