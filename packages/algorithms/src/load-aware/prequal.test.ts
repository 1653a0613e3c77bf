import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { counts } from '../../test/fixtures.js';
import { InvalidAlgorithmOptionError } from '../errors.js';
import { createRandom } from '../random-source.js';
import type { LoadReport, PrequalOptions } from '../types.js';
import { Prequal } from './prequal.js';

/** A server as the balancer keeps it: its own in-flight count and the backend's last report. */
interface Backend {
  id: string;
  weight: number;
  inFlight: number;
  load?: LoadReport;
}

function backend(id: string, report?: Omit<LoadReport, 'receivedAt'>, receivedAt = 0): Backend {
  return report === undefined ? { id, weight: 1, inFlight: 0 } : { id, weight: 1, inFlight: 0, load: { ...report, receivedAt } };
}

function prequal(options: Partial<PrequalOptions> = {}, seed = 1) {
  const time = { now: 0 };
  return { time, algorithm: new Prequal(createRandom(seed), () => time.now, options) };
}

describe('prequal', () => {
  it('picks the cold server with the lowest latency, not the one with the fewest in flight', () => {
    const { algorithm } = prequal();
    const list = [backend('a', { inFlight: 0, latency: 50 }), backend('b', { inFlight: 2, latency: 10 }), backend('c', { inFlight: 9, latency: 1 })];
    // RIFs 0, 2, 9: the 0.84 quantile is 2 + 0.68 x 7 = 6.76, so c is hot; of a and b, b is faster.
    expect(algorithm.pick(list)?.id).toBe('b');
    expect(algorithm.inspect(list).map((row) => [row.id, row.hot])).toEqual([
      ['a', false],
      ['b', false],
      ['c', true],
    ]);
  });

  it('takes the lowest in flight when every server of its pool is hot', () => {
    const { algorithm } = prequal({ poolSize: 2, hotQuantile: 0.5 });
    // RIFs 0, 0, 0, 8, 9: the median is 0, so d and e are hot; e is the fastest of all.
    const list = [
      backend('a', { inFlight: 0, latency: 50 }),
      backend('b', { inFlight: 0, latency: 50 }),
      backend('c', { inFlight: 0, latency: 50 }),
      backend('d', { inFlight: 8, latency: 20 }),
      backend('e', { inFlight: 9, latency: 1 }),
    ];
    const picks = counts(Array.from({ length: 2_000 }, () => algorithm.pick(list)!.id));
    expect(picks.get('e')).toBeUndefined(); // hot: a cold pool member beats it, and in the pool {d, e} d has fewer in flight
    expect(picks.get('d')! / 2_000).toBeCloseTo(1 / 10, 1); // only when the pool of 2 drawn from 5 is {d, e}
  });

  it('adds its own requests since the report to the reported count, so picks between two reports spread out', () => {
    const { algorithm } = prequal();
    const list = [backend('a', { inFlight: 0, latency: 10 }), backend('b', { inFlight: 0, latency: 12 }), backend('c', { inFlight: 0, latency: 14 })];
    const picks: string[] = [];
    for (let i = 0; i < 6; i++) {
      const picked = algorithm.pick(list)!;
      picked.inFlight++; // the balancer's count; the reports stay as they were
      picks.push(picked.id);
    }
    // Latency is scaled by (estimate + 1) / (reported + 1): a 10 -> 20 after one request, b 12 -> 24, c 14 -> 28.
    expect(picks.join(' ')).toBe('a b c a b c');
    expect(algorithm.inspect(list).map((row) => row.inFlight)).toEqual([2, 2, 2]);
  });

  it('re-anchors on a new report, and never estimates fewer than its own requests in flight', () => {
    const { time, algorithm } = prequal();
    const list = [backend('a', { inFlight: 5, latency: 10 }), backend('b', { inFlight: 5, latency: 10 })];
    list[0]!.inFlight = 2; // already ours when the report was first seen: part of the reported 5
    algorithm.pick(list);
    list[0]!.inFlight = 4; // two more since
    expect(algorithm.inspect(list)[0]!.inFlight).toBe(7);
    time.now = 10;
    list[0]!.load = { inFlight: 1, latency: 10, receivedAt: 10 }; // the backend drained; our 4 are... not all there, says the report
    algorithm.pick(list);
    expect(algorithm.inspect(list)[0]!.inFlight).toBe(4); // at least our own 4
  });

  it('falls back to its own view for a server without a fresh report, and says so', () => {
    const { time, algorithm } = prequal({ maxAge: 1_000 });
    const list = [backend('a', { inFlight: 3, latency: 10 }, 0), backend('b')];
    time.now = 500;
    expect(algorithm.inspect(list).map((row) => [row.id, row.source, row.reportAge])).toEqual([
      ['a', 'report', 500],
      ['b', 'fallback', undefined],
    ]);
    time.now = 1_001;
    const [a] = algorithm.inspect(list);
    expect([a!.source, a!.reportAge, a!.inFlight]).toEqual(['fallback', 1_001, 0]); // stale: its own count, 0
    list[1]!.load = { inFlight: Number.NaN, utilization: 0.5, latency: 5, receivedAt: 1_001 }; // no in-flight count reported
    expect(algorithm.inspect(list)[1]!.source).toBe('fallback');
  });

  it('ranks on its own latency samples without reports, per request in flight', () => {
    const { algorithm } = prequal();
    const list = [backend('a'), backend('b')];
    algorithm.pick(list); // adopt the list, so observe can read the counts
    algorithm.observe('a', 100);
    algorithm.observe('b', 10);
    expect(algorithm.pick(list)?.id).toBe('b');
    list[1]!.inFlight = 1; // b: 10 x 2 = 20, still better than a's 100, but b is now hot (RIFs 0, 1)
    expect(algorithm.pick(list)?.id).toBe('a');
    expect(algorithm.inspect(list).map((row) => row.latency)).toEqual([100, 20]);
  });

  it('sends an unmeasured server one request while it is idle, then ranks it last', () => {
    const { algorithm } = prequal();
    const list = [backend('a', { inFlight: 0, latency: 20 }), backend('b', { inFlight: 0, latency: 30 }), backend('new')];
    expect(algorithm.pick(list)?.id).toBe('new');
    list[2]!.inFlight = 1;
    expect(algorithm.pick(list)?.id).toBe('a');
  });

  it('never picks weight 0, and compares in flight per unit of weight', () => {
    const { algorithm } = prequal();
    const list = [backend('a', { inFlight: 0, latency: 1 }), backend('b', { inFlight: 6, latency: 10 }), backend('c', { inFlight: 4, latency: 50 })];
    list[0]!.weight = 0;
    list[1]!.weight = 3; // 6 / 3 = 2 per unit of weight, against c's 4: c is the hot one
    expect(algorithm.pick(list)?.id).toBe('b');
    expect(algorithm.inspect(list).map((row) => row.hot)).toEqual([false, false, true]);
    expect(algorithm.pick([{ ...list[0]! }])).toBeUndefined();
    expect(algorithm.pick([])).toBeUndefined();
  });

  it('needs a clock and checks its options', () => {
    expect(() => new Prequal(createRandom(1), undefined as never)).toThrow(InvalidAlgorithmOptionError);
    expect(() => new Prequal(createRandom(1), () => 0, { hotQuantile: 2 })).toThrow(/prequal.hotQuantile/);
  });

  it('on any fleet, picks an eligible cold server with the lowest latency; inspect changes nothing', () => {
    const report = fc.option(fc.record({ inFlight: fc.nat(12), latency: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }) }), {
      nil: undefined,
    });
    const fleet = fc.uniqueArray(fc.record({ id: fc.string({ minLength: 1, maxLength: 4 }), weight: fc.constantFrom(0, 1, 2), inFlight: fc.nat(6), report }), {
      selector: (server) => server.id,
      minLength: 1,
      maxLength: 16,
    });
    fc.assert(
      fc.property(fleet, fc.integer(), (specs, seed) => {
        const list: Backend[] = specs.map(({ id, weight, inFlight, report: r }) => ({
          id,
          weight,
          inFlight,
          ...(r === undefined ? {} : { load: { inFlight: r.inFlight, receivedAt: 0, ...(r.latency === undefined ? {} : { latency: r.latency }) } }),
        }));
        const { algorithm } = prequal({}, seed);
        const before = algorithm.inspect(list);
        const picked = algorithm.pick(list);
        const eligible = list.filter((server) => server.weight > 0);
        if (eligible.length === 0) {
          expect(picked).toBeUndefined();
          return;
        }
        expect(algorithm.inspect(list)).toEqual(before);
        // The reference: estimates on a first pick are max(own, reported); latency scaled from the report, unknown without one.
        const rif = (s: Backend) => (s.load === undefined ? s.inFlight : Math.max(s.inFlight, s.load.inFlight)) / s.weight;
        const latency = (s: Backend) => {
          if (s.load?.latency === undefined) return rif(s) === 0 ? 0 : Number.POSITIVE_INFINITY;
          return (s.load.latency * (Math.max(s.inFlight, s.load.inFlight) + 1)) / (s.load.inFlight + 1);
        };
        const sorted = eligible.map(rif).sort((a, b) => a - b);
        const position = 0.84 * (sorted.length - 1);
        const lower = Math.floor(position);
        const threshold = sorted[lower]! + (sorted[Math.min(lower + 1, sorted.length - 1)]! - sorted[lower]!) * (position - lower);
        const cold = eligible.filter((s) => rif(s) <= threshold + 1e-9);
        expect(eligible).toContain(picked);
        expect(rif(picked!)).toBeLessThanOrEqual(threshold + 1e-9);
        expect(latency(picked!)).toBe(Math.min(...cold.map(latency)));
      }),
    );
  });

  it('is deterministic for a seed', () => {
    const sequence = (seed: number) => {
      const { algorithm } = prequal({}, seed);
      const list = Array.from({ length: 6 }, (_, i) => backend(`s${i}`, { inFlight: 0, latency: 10 }));
      return Array.from({ length: 30 }, () => algorithm.pick(list)!.id).join(',');
    };
    expect(sequence(4)).toBe(sequence(4));
    expect(sequence(4)).not.toBe(sequence(5));
  });
});
