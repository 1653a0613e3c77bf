import { createRandom } from '@lbpoc/algorithms';
import { describe, expect, it } from 'vitest';
import { LoadMeter } from '../src/load-meter.js';
import { ProbeTargets } from '../src/probe-targets.js';

describe('LoadMeter (what a backend reports of itself)', () => {
  it('averages the busy fraction and the completion rate over its window', () => {
    const meter = new LoadMeter(1_000);
    meter.setBusy(0, 0.5);
    const at = meter.measure(1_000, 1);
    expect(at.utilization).toBeCloseTo(0.5 * (1 - Math.exp(-1)), 12);
    expect(at.qps).toBe(0);
    for (let t = 1_000; t < 11_000; t += 10) meter.completed(t, 5, 0); // 100 per 1000 for 10 windows
    expect(meter.measure(11_000, 0).qps).toBeCloseTo(100, -0.5);
  });

  it('estimates the latency at the current in-flight count from requests that arrived at that count', () => {
    const meter = new LoadMeter(1_000);
    expect(meter.measure(0, 0).latency).toBeUndefined();
    meter.completed(10, 20, 0);
    meter.completed(20, 60, 2);
    expect(meter.measure(20, 0).latency).toBeCloseTo(20, 9);
    expect(meter.measure(20, 2).latency).toBeCloseTo(60, 9);
    expect(meter.measure(20, 1).latency).toBeCloseTo(40, 9); // nothing at 1: the count-0 figure x (1 + 1) / (0 + 1)
    expect(meter.measure(20, 5).latency).toBeCloseTo(120, 9); // from 2: 60 x 6 / 3
    const fresh = new LoadMeter(1_000);
    fresh.completed(0, 50, 3);
    expect(fresh.measure(0, 1).latency).toBe(50); // only a higher count known: its figure as it is
  });
});

describe('ProbeTargets', () => {
  it('draws distinct backends, uniformly, the whole rate plus one with probability the fraction', () => {
    const targets = new ProbeTargets(5, 2.5, createRandom(7));
    const hits = new Array<number>(5).fill(0);
    let total = 0;
    for (let i = 0; i < 20_000; i++) {
      const count = targets.draw();
      expect([2, 3]).toContain(count);
      const drawn = Array.from(targets.targets().subarray(0, count));
      expect(new Set(drawn).size).toBe(count);
      for (const s of drawn) hits[s]!++;
      total += count;
    }
    expect(total / 20_000).toBeCloseTo(2.5, 1);
    for (const h of hits) expect(h / total).toBeCloseTo(0.2, 1);
    expect(new ProbeTargets(2, 5, createRandom(1)).draw()).toBe(2);
  });
});
