import { describe, expect, it } from 'vitest';
import { servers } from '../test/fixtures.js';
import { InvalidAlgorithmOptionError } from './errors.js';
import { PeakEwma } from './peak-ewma.js';
import { createRandom } from './random-source.js';

function clock(start = 0) {
  const time = { now: start };
  return { time, now: () => time.now };
}

describe('peak_ewma', () => {
  it('takes a slower sample at once (the peak) and decays towards faster ones', () => {
    const { time, now } = clock();
    const ewma = new PeakEwma(createRandom(1), now, 1000);
    ewma.observe('a', 10);
    ewma.observe('a', 100);
    expect(ewma.latencyOf('a')).toBe(100);
    time.now = 1000; // one time constant later, a fast sample pulls the estimate most of the way down
    ewma.observe('a', 10);
    const expected = 100 * Math.exp(-1) + 10 * (1 - Math.exp(-1));
    expect(ewma.latencyOf('a')).toBeCloseTo(expected, 9);
  });

  it('steers away from a slow server', () => {
    const { now } = clock();
    const list = servers(2);
    const ewma = new PeakEwma(createRandom(3), now, 10_000);
    ewma.observe('s0', 100);
    ewma.observe('s1', 5);
    for (let i = 0; i < 20; i++) expect(ewma.pick(list)?.id).toBe('s1');
  });

  it('weighs latency against queue length: a fast server with a long queue loses', () => {
    const { now } = clock();
    const list = servers(2);
    list[1]!.inFlight = 30;
    const ewma = new PeakEwma(createRandom(3), now, 10_000);
    ewma.observe('s0', 20);
    ewma.observe('s1', 1);
    expect(ewma.pick(list)?.id).toBe('s0'); // cost: s0 = 20 x (0 + 1) = 20, s1 = 1 x (30 + 1) = 31
  });

  it('gives an unmeasured server one request at a time until it answers', () => {
    const { now } = clock();
    const list = servers(2);
    const ewma = new PeakEwma(createRandom(3), now, 10_000);
    ewma.observe('s0', 50);
    expect(ewma.pick(list)?.id).toBe('s1');
    list[1]!.inFlight = 1;
    expect(ewma.pick(list)?.id).toBe('s0');
  });

  it('ignores broken samples and rejects a bad decay time', () => {
    const { now } = clock();
    const ewma = new PeakEwma(createRandom(1), now, 100);
    ewma.observe('a', 10);
    ewma.observe('a', Number.NaN);
    ewma.observe('a', -5);
    expect(ewma.latencyOf('a')).toBe(10);
    expect(() => new PeakEwma(createRandom(1), now, 0)).toThrow(InvalidAlgorithmOptionError);
  });
});
