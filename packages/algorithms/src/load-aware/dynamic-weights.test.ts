import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { counts } from '../../test/fixtures.js';
import { InvalidAlgorithmOptionError } from '../errors.js';
import type { DynamicWeightsOptions, LoadReport } from '../types.js';
import { DynamicWeights } from './dynamic-weights.js';

interface Backend {
  id: string;
  weight: number;
  inFlight: number;
  load?: LoadReport;
}

function dynamicWeights(options: Partial<DynamicWeightsOptions> = {}) {
  const time = { now: 0 };
  return { time, algorithm: new DynamicWeights(() => time.now, options) };
}

/** Backends reporting `qps` and `utilization` at time `at`. */
function reporting(at: number, ...reports: [qps: number, utilization: number][]): Backend[] {
  return reports.map(([qps, utilization], i) => ({
    id: String.fromCharCode(97 + i),
    weight: 1,
    inFlight: 0,
    load: { inFlight: 0, qps, utilization, receivedAt: at },
  }));
}

function shares(algorithm: DynamicWeights, list: readonly Backend[], picks: number): number[] {
  const tally = counts(Array.from({ length: picks }, () => algorithm.pick(list)!.id));
  return list.map((server) => (tally.get(server.id) ?? 0) / picks);
}

describe('dynamic_weights (gRPC A58)', () => {
  it('weighs each server by qps / utilization: 1:2:4 capacity gets 1:2:4 of the picks', () => {
    const { algorithm } = dynamicWeights({ blackoutPeriod: 0 });
    // Same qps, utilizations 0.8, 0.4, 0.2: weights 125, 250, 500.
    const list = reporting(0, [100, 0.8], [100, 0.4], [100, 0.2]);
    expect(shares(algorithm, list, 700)).toEqual([1 / 7, 2 / 7, 4 / 7]);
    expect(algorithm.inspect(list).map((row) => [row.source, row.weight])).toEqual([
      ['report', 125],
      ['report', 250],
      ['report', 500],
    ]);
  });

  it('keeps configured weights until the blackout has passed since the first usable report', () => {
    const { time, algorithm } = dynamicWeights({ blackoutPeriod: 10_000, weightUpdatePeriod: 1_000 });
    const list = reporting(0, [100, 0.8], [100, 0.2]);
    list[0]!.weight = 3;
    expect(shares(algorithm, list, 400)).toEqual([0.75, 0.25]); // configured 3:1
    expect(algorithm.inspect(list).map((row) => [row.source, row.reportedWeight])).toEqual([
      ['fallback', 125],
      ['fallback', 500],
    ]);
    time.now = 9_999;
    for (const server of list) server.load = { ...server.load!, receivedAt: 9_999 };
    expect(shares(algorithm, list, 400)).toEqual([0.75, 0.25]);
    time.now = 10_998; // past the blackout, but the last update was at 9999: the next is due at 10999
    expect(shares(algorithm, list, 400)).toEqual([0.75, 0.25]);
    time.now = 10_999;
    expect(shares(algorithm, list, 500)).toEqual([0.2, 0.8]); // 125:500; the configured 3 is no longer used
  });

  it('drops a weight not refreshed for weightExpiration, and starts the blackout over', () => {
    const { time, algorithm } = dynamicWeights({ blackoutPeriod: 100, weightExpiration: 1_000, weightUpdatePeriod: 0 });
    const list = reporting(0, [100, 0.5], [100, 0.25]);
    time.now = 200;
    expect(shares(algorithm, list, 300)).toEqual([1 / 3, 2 / 3]);
    time.now = 1_000; // both reports are 1000 old: expired
    expect(shares(algorithm, list, 300)).toEqual([0.5, 0.5]);
    for (const server of list) server.load = { ...server.load!, receivedAt: 1_000 };
    expect(shares(algorithm, list, 300)).toEqual([0.5, 0.5]); // fresh again, but in a new blackout
    time.now = 1_100;
    expect(shares(algorithm, list, 300)).toEqual([1 / 3, 2 / 3]);
  });

  it('gives a server without a usable weight the mean of the others, and needs two to use any', () => {
    const { algorithm } = dynamicWeights({ blackoutPeriod: 0, weightUpdatePeriod: 0 });
    const list = reporting(0, [100, 0.5], [100, 0.25], [0, 0]); // c reports nothing usable (no qps)
    expect(shares(algorithm, list, 900)).toEqual([2 / 9, 4 / 9, 3 / 9]); // 200, 400, mean 300
    expect(algorithm.inspect(list)[2]).toMatchObject({ source: 'fallback', weight: 300, reportedWeight: undefined });
    const lonely = dynamicWeights({ blackoutPeriod: 0 }).algorithm;
    const one = reporting(0, [100, 0.5], [0, 0], [0, 0]); // a single usable weight: configured weights for all
    expect(shares(lonely, one, 900)).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(lonely.inspect(one).map((row) => row.source)).toEqual(['fallback', 'fallback', 'fallback']);
  });

  it('recomputes at most every weightUpdatePeriod, but drains a server at once', () => {
    const { time, algorithm } = dynamicWeights({ blackoutPeriod: 0, weightUpdatePeriod: 1_000 });
    const list = reporting(0, [100, 0.5], [100, 0.5]);
    expect(shares(algorithm, list, 100)).toEqual([0.5, 0.5]);
    time.now = 500;
    list[0]!.load = { inFlight: 0, qps: 100, utilization: 0.1, receivedAt: 500 };
    expect(shares(algorithm, list, 100)).toEqual([0.5, 0.5]); // not yet
    list[1]!.weight = 0;
    expect(shares(algorithm, list, 100)).toEqual([1, 0]);
    list[1]!.weight = 1;
    time.now = 1_000;
    expect(shares(algorithm, list, 600)).toEqual([5 / 6, 1 / 6]); // 1000 : 200
    expect(algorithm.pick(reporting(0).map((s) => ({ ...s, weight: 0 })))).toBeUndefined();
  });

  it('uses a report without an in-flight count (NaN: not reported), which weights do not need', () => {
    const { algorithm } = dynamicWeights({ blackoutPeriod: 0 });
    const list = reporting(0, [100, 0.5], [100, 0.25]).map((server) => ({ ...server, load: { ...server.load!, inFlight: Number.NaN } }));
    expect(shares(algorithm, list, 300)).toEqual([1 / 3, 2 / 3]);
    expect(algorithm.inspect(list).map((row) => row.source)).toEqual(['report', 'report']);
  });

  it('charges errors as utilization', () => {
    const { algorithm } = dynamicWeights({ blackoutPeriod: 0, errorUtilizationPenalty: 1 });
    const list = reporting(0, [100, 0.5], [100, 0.25]);
    list[1]!.load = { ...list[1]!.load!, eps: 25 }; // 0.25 + 25 / 100 = 0.5: as loaded as a
    expect(shares(algorithm, list, 100)).toEqual([0.5, 0.5]);
  });

  it('derives qps from its own completions when reports have none (auto), or when told to', () => {
    const { time, algorithm } = dynamicWeights({ blackoutPeriod: 0, weightUpdatePeriod: 0, qpsWindow: 1_000 });
    const list: Backend[] = ['a', 'b'].map((id) => ({ id, weight: 1, inFlight: 0, load: { inFlight: 0, utilization: 0.5, receivedAt: 1_000 } }));
    for (let t = 0; t <= 1_000; t += 10) {
      time.now = t;
      algorithm.observe('a', 1);
      if (t % 20 === 0) algorithm.observe('b', 1);
    }
    // a completed 100 in the window, b 50, at the same utilization: 2:1.
    expect(shares(algorithm, list, 300)).toEqual([2 / 3, 1 / 3]);
    list[0]!.load = { ...list[0]!.load!, qps: 10, receivedAt: 1_001 }; // only a reports qps: auto keeps observed for all
    list[1]!.load = { ...list[1]!.load!, receivedAt: 1_001 };
    time.now = 1_001;
    expect(shares(algorithm, list, 300)).toEqual([2 / 3, 1 / 3]);
    const reported = dynamicWeights({ blackoutPeriod: 0, qpsSource: 'reported' }).algorithm;
    expect(shares(reported, list, 300)).toEqual([1 / 2, 1 / 2]); // b has no reported qps: no weight; one usable is not enough
  });

  it('needs a clock and checks its options', () => {
    expect(() => new DynamicWeights(undefined as never)).toThrow(InvalidAlgorithmOptionError);
    expect(() => new DynamicWeights(() => 0, { blackoutPeriod: -1 })).toThrow(/dynamicWeights.blackoutPeriod/);
  });

  it('serves any reported weights in exact proportion, within one pick of the ideal at every prefix', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 2, maxLength: 8 }), (capacities) => {
        const { algorithm } = dynamicWeights({ blackoutPeriod: 0 });
        const list = reporting(0, ...capacities.map((capacity): [number, number] => [capacity, 1]));
        const total = capacities.reduce((a, b) => a + b, 0);
        const tally = new Map<string, number>();
        for (let step = 1; step <= total * 2; step++) {
          const id = algorithm.pick(list)!.id;
          tally.set(id, (tally.get(id) ?? 0) + 1);
          list.forEach((server, i) => {
            expect(Math.abs((tally.get(server.id) ?? 0) - (step * capacities[i]!) / total)).toBeLessThan(1 + 1e-6);
          });
        }
      }),
    );
  });
});
