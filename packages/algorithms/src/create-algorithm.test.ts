import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { serverListArb, type TestServer } from '../test/fixtures.js';
import { createAlgorithm, parseAlgorithmName } from './create-algorithm.js';
import { InvalidAlgorithmOptionError, UnknownAlgorithmError } from './errors.js';
import { isLoadAware } from './load-aware/is-load-aware.js';
import { createRandom } from './random-source.js';
import { ALGORITHM_NAMES } from './types.js';

const options = { random: createRandom(5), now: () => 0 };

describe('createAlgorithm', () => {
  it('builds every wire name, each reporting its own name', () => {
    for (const name of ALGORITHM_NAMES) expect(createAlgorithm(name, options).name).toBe(name);
  });

  it('rejects an unknown name with a typed error listing the valid ones', () => {
    const error = (() => {
      try {
        createAlgorithm('fastest');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(UnknownAlgorithmError);
    expect((error as UnknownAlgorithmError).value).toBe('fastest');
    expect((error as Error).message).toContain('"fastest"');
    for (const name of ALGORITHM_NAMES) expect((error as Error).message).toContain(name);
    expect(() => parseAlgorithmName(undefined)).toThrow(UnknownAlgorithmError);
  });

  it('asks for a clock for peak_ewma, prequal and dynamic_weights, and checks their options', () => {
    for (const name of ['peak_ewma', 'prequal', 'dynamic_weights']) {
      expect(() => createAlgorithm(name)).toThrow(InvalidAlgorithmOptionError);
      expect(() => createAlgorithm(name)).toThrow(new RegExp(`^now: ${name} needs a clock`));
    }
    expect(() => createAlgorithm('adaptive', { adaptive: { highLoad: -1 } })).toThrow(/adaptive.highLoad/);
    expect(() => createAlgorithm('adaptive', { adaptive: { reportCoverage: 1.5 } })).toThrow(/^adaptive.reportCoverage: must be a fraction/);
    expect(() => createAlgorithm('adaptive', { adaptive: { reportCoverage: 0 } })).toThrow(/^adaptive.reportCoverage: must be a positive/);
    expect(() => createAlgorithm('adaptive', { adaptive: { reportMaxAge: Number.POSITIVE_INFINITY } })).toThrow(/^adaptive.reportMaxAge/);
    expect(() => createAlgorithm('adaptive', { adaptive: { latencySpread: 1 } })).toThrow(/^adaptive.latencySpread: must be a ratio above 1/);
    expect(() => createAlgorithm('adaptive', { adaptive: { latencyMinSamples: 2.5 } })).toThrow(/^adaptive.latencyMinSamples: must be an integer/);
    expect(() => createAlgorithm('adaptive', { adaptive: { latencyWindow: 0 } })).toThrow(/^adaptive.latencyWindow/);
    expect(() => createAlgorithm('adaptive', { adaptive: { spread: 2 } as never })).toThrow(/^adaptive.spread: unknown option; valid options: highLoad/);
    expect(() => createAlgorithm('adaptive', { now: () => 0, prequal: { poolSize: 0 } })).toThrow(/prequal.poolSize/); // its prequal delegate's options
    expect(createAlgorithm('adaptive', { adaptive: { latencySpread: 3, reportCoverage: 1 } })).toMatchObject({
      thresholds: { highLoad: 8, imbalance: 2, latencySpread: 3, reportCoverage: 1, reportMaxAge: 1_000, latencyMinSamples: 16, latencyWindow: 16 },
    });
    expect(() => createAlgorithm('prequal', { now: () => 0, prequal: { poolSize: 0 } })).toThrow(/prequal.poolSize/);
    expect(() => createAlgorithm('dynamic_weights', { now: () => 0, dynamicWeights: { qpsWindow: -1 } })).toThrow(/dynamicWeights.qpsWindow/);
  });

  it('tells the load-aware algorithms apart (isLoadAware): exactly prequal and dynamic_weights', () => {
    const loadAware = ALGORITHM_NAMES.filter((name) => isLoadAware(createAlgorithm(name, options)));
    expect(loadAware).toEqual(['prequal', 'dynamic_weights']);
  });

  const reportArb = fc.option(
    fc.record({
      inFlight: fc.oneof(fc.nat(30), fc.constantFrom(-1, Number.NaN, Number.POSITIVE_INFINITY)),
      utilization: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(Number.NaN)),
      qps: fc.oneof(fc.nat(1_000), fc.constant(-3)),
      latency: fc.oneof(fc.double({ min: 0, max: 500, noNaN: true }), fc.constant(Number.NaN)),
      receivedAt: fc.oneof(fc.integer({ min: -2_000, max: 2_000 }), fc.constant(Number.NaN)),
    }),
    { nil: undefined },
  );

  it.each(['prequal', 'dynamic_weights'])('%s: with any reports, well formed or not, never picks outside the list or a drained server', (name) => {
    fc.assert(
      fc.property(fc.array(fc.tuple(serverListArb, fc.array(reportArb, { minLength: 12, maxLength: 12 })), { minLength: 1, maxLength: 6 }), (lists) => {
        let time = 0;
        const algorithm = createAlgorithm(name, { random: createRandom(3), now: () => time, dynamicWeights: { blackoutPeriod: 0 } });
        for (const [plain, reports] of lists) {
          const list = plain.map((server, i): TestServer => (reports[i] === undefined ? server : { ...server, load: reports[i]! }));
          time += 700;
          const picked = algorithm.pick(list);
          if (!list.some((s) => s.weight > 0)) {
            expect(picked).toBeUndefined();
            continue;
          }
          expect(list).toContain(picked);
          expect(picked!.weight).toBeGreaterThan(0);
          algorithm.observe(picked!.id, 5);
          if (isLoadAware(algorithm)) expect(algorithm.inspect(list)).toHaveLength(list.length);
        }
      }),
    );
  });

  it.each(ALGORITHM_NAMES)('%s: never picks outside the list, never a drained server, undefined iff none eligible, as the list changes', (name) => {
    fc.assert(
      fc.property(fc.array(serverListArb, { minLength: 1, maxLength: 8 }), fc.array(fc.ipV4(), { minLength: 1, maxLength: 5 }), (lists, keys) => {
        const algorithm = createAlgorithm(name, { random: createRandom(11), now: () => 0 });
        for (const list of lists) {
          for (const key of keys) {
            const picked = algorithm.pick(list, key);
            const anyEligible = list.some((s) => s.weight > 0);
            if (!anyEligible) {
              expect(picked).toBeUndefined();
              continue;
            }
            expect(list).toContain(picked);
            expect(picked!.weight).toBeGreaterThan(0);
            algorithm.observe(picked!.id, 1 + (picked!.inFlight % 7));
          }
        }
      }),
    );
  });
});
