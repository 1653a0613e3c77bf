import { describe, expect, it } from 'vitest';
import { formatDelay, MAX_DELAY_MS, parseDelay, sampleDelay } from './delay.js';

/** A random source that replays `values` in a loop. */
const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length] ?? 0;
};

describe('parseDelay', () => {
  it.each([
    ['0', { kind: 'fixed', ms: 0 }],
    ['50', { kind: 'fixed', ms: 50 }],
    [' 12.5 ', { kind: 'fixed', ms: 12.5 }],
    ['20-80', { kind: 'uniform', min: 20, max: 80 }],
    ['5-5', { kind: 'uniform', min: 5, max: 5 }],
    ['exp:50', { kind: 'exponential', mean: 50 }],
    ['EXP:50', { kind: 'exponential', mean: 50 }],
    ['normal:50:10', { kind: 'normal', mean: 50, stddev: 10 }],
  ] as const)('reads %j', (text, spec) => {
    expect(parseDelay(text)).toEqual({ ok: true, spec });
  });

  it.each(['', 'abc', '-5', '50ms', '1e3', '80-20', '20-', '-20', 'exp:', 'exp:x', 'normal:50', 'normal:50:10:1', 'poisson:3', `${MAX_DELAY_MS + 1}`])(
    'refuses %j and says what is allowed',
    (text) => {
      const result = parseDelay(text);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toContain('"20-80"');
    },
  );

  it('round-trips through formatDelay', () => {
    for (const text of ['50', '20-80', 'exp:50', 'normal:50:10']) {
      const result = parseDelay(text);
      expect(result.ok && formatDelay(result.spec)).toBe(text);
    }
  });
});

describe('sampleDelay', () => {
  it('returns a fixed delay whatever the random source says', () => {
    expect(sampleDelay({ kind: 'fixed', ms: 50 }, sequence(0.9))).toBe(50);
  });

  it('maps the random source onto a uniform range', () => {
    const spec = { kind: 'uniform', min: 20, max: 80 } as const;
    expect(sampleDelay(spec, sequence(0))).toBe(20);
    expect(sampleDelay(spec, sequence(0.5))).toBe(50);
    expect(sampleDelay(spec, sequence(0.999999))).toBeCloseTo(80, 3);
  });

  it('draws an exponential with the given mean', () => {
    const spec = { kind: 'exponential', mean: 50 } as const;
    expect(sampleDelay(spec, sequence(0))).toBe(0);
    expect(sampleDelay(spec, sequence(1 - Math.exp(-1)))).toBeCloseTo(50, 9);
    let seed = 1;
    const lcg = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += sampleDelay(spec, lcg);
    expect(sum / 20_000).toBeGreaterThan(47);
    expect(sum / 20_000).toBeLessThan(53);
  });

  it('draws a normal with the given mean and spread, never below 0', () => {
    const spec = { kind: 'normal', mean: 50, stddev: 10 } as const;
    // radius sqrt(-2 ln(1 - r1)) = 1 when r1 = 1 - e^-0.5; cos(0) = 1: one deviation above.
    expect(sampleDelay(spec, sequence(1 - Math.exp(-0.5), 0))).toBeCloseTo(60, 9);
    expect(sampleDelay(spec, sequence(1 - Math.exp(-0.5), 0.5))).toBeCloseTo(40, 9);
    expect(sampleDelay({ kind: 'normal', mean: 1, stddev: 100 }, sequence(0.99, 0.5))).toBe(0);
  });

  it('caps the long tail', () => {
    expect(sampleDelay({ kind: 'exponential', mean: MAX_DELAY_MS }, sequence(0.9999999))).toBe(MAX_DELAY_MS);
  });
});
