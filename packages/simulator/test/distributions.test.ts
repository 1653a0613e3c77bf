import { createRandom } from '@lbpoc/algorithms';
import { describe, expect, it } from 'vitest';
import { createArrivalSampler, meanArrivalRate } from '../src/arrivals.js';
import { clientAddresses, createClientSampler, formatIPv4 } from '../src/client-population.js';
import { createServiceTimeSampler } from '../src/service-time.js';

function moments(sample: () => number, count: number): { mean: number; cv: number } {
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < count; i++) {
    const value = sample();
    sum += value;
    squares += value * value;
  }
  const mean = sum / count;
  return { mean, cv: Math.sqrt(squares / count - mean * mean) / mean };
}

describe('service-time distributions', () => {
  it('exponential has the requested mean and cv 1', () => {
    const { mean, cv } = moments(createServiceTimeSampler({ kind: 'exponential', mean: 20 }, createRandom(1)), 200_000);
    expect(mean).toBeCloseTo(20, 0);
    expect(cv).toBeCloseTo(1, 1);
  });

  it('deterministic always gives its value', () => {
    const sample = createServiceTimeSampler({ kind: 'deterministic', value: 3 }, createRandom(1));
    expect([sample(), sample(), sample()]).toEqual([3, 3, 3]);
  });

  it('lognormal has the requested mean and coefficient of variation', () => {
    const { mean, cv } = moments(createServiceTimeSampler({ kind: 'lognormal', mean: 10, cv: 0.5 }, createRandom(2)), 400_000);
    expect(mean).toBeCloseTo(10, 1);
    expect(cv).toBeCloseTo(0.5, 1);
  });

  it('rejects a mean that is not positive, naming the value', () => {
    expect(() => createServiceTimeSampler({ kind: 'exponential', mean: 0 }, createRandom(1))).toThrow(/got 0/);
    expect(() => createServiceTimeSampler({ kind: 'lognormal', mean: 1, cv: -1 }, createRandom(1))).toThrow(/cv .* got -1/);
  });
});

describe('arrival processes', () => {
  function observedRate(next: () => number, count: number): number {
    let last = 0;
    let ordered = true;
    for (let i = 0; i < count; i++) {
      const time = next();
      if (time < last) ordered = false;
      last = time;
    }
    expect(ordered).toBe(true);
    return count / last;
  }

  it('Poisson arrives at its rate', () => {
    expect(observedRate(createArrivalSampler({ kind: 'poisson', rate: 5 }, createRandom(3)), 200_000)).toBeCloseTo(5, 1);
  });

  it('on-off arrives at the time-weighted mean of its two rates, in bursts', () => {
    const process = { kind: 'on-off', onRate: 2, offRate: 0.5, meanOn: 100, meanOff: 300 } as const;
    expect(meanArrivalRate(process)).toBeCloseTo(0.875, 10);
    expect(observedRate(createArrivalSampler(process, createRandom(4)), 400_000)).toBeCloseTo(0.875, 1);

    // Burstiness: counts per window vary far more than a Poisson stream's (variance = mean).
    const next = createArrivalSampler(process, createRandom(5));
    const counts = new Array<number>(2_000).fill(0);
    for (let time = next(); time < 2_000 * 50; time = next()) counts[Math.floor(time / 50)]!++;
    const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
    const variance = counts.reduce((a, b) => a + (b - mean) ** 2, 0) / counts.length;
    expect(variance / mean).toBeGreaterThan(3);
  });

  it('rejects an invalid rate, naming the field and value', () => {
    expect(() => createArrivalSampler({ kind: 'poisson', rate: -1 }, createRandom(1))).toThrow(/rate .* got -1/);
  });
});

describe('client population', () => {
  it('gives distinct, well-formed IPv4 addresses', () => {
    const addresses = clientAddresses(100_000, 42);
    expect(new Set(addresses).size).toBe(100_000);
    for (const address of addresses.slice(0, 1_000)) {
      const octets = address.split('.').map(Number);
      expect(octets).toHaveLength(4);
      for (const octet of octets) expect(octet >= 0 && octet <= 255 && Number.isInteger(octet)).toBe(true);
    }
    expect(clientAddresses(5, 42)).toEqual(addresses.slice(0, 5));
    expect(clientAddresses(5, 43)).not.toEqual(addresses.slice(0, 5));
    expect(formatIPv4(0x0a000102)).toBe('10.0.1.2');
  });

  it('draws clients uniformly or by Zipf rank', () => {
    const count = 1_000;
    const draws = 300_000;
    const tally = (sample: () => number): number[] => {
      const counts = new Array<number>(count).fill(0);
      for (let i = 0; i < draws; i++) counts[sample()]!++;
      return counts;
    };
    const uniform = tally(createClientSampler({ count, distribution: 'uniform' }, createRandom(6)));
    expect(Math.max(...uniform) / (draws / count)).toBeLessThan(1.3);
    // Zipf 1: rank 1 sends twice as much as rank 2 and ten times as much as rank 10.
    const zipf = tally(createClientSampler({ count, distribution: { zipf: 1 } }, createRandom(7)));
    expect(zipf[0]! / zipf[1]!).toBeCloseTo(2, 0);
    expect(zipf[0]! / zipf[9]!).toBeGreaterThan(8.5);
    expect(zipf[0]! / zipf[9]!).toBeLessThan(11.5);
  });
});
