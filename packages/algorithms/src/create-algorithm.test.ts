import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { serverListArb } from '../test/fixtures.js';
import { createAlgorithm, parseAlgorithmName } from './create-algorithm.js';
import { InvalidAlgorithmOptionError, UnknownAlgorithmError } from './errors.js';
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

  it('asks for a clock for peak_ewma and checks adaptive thresholds', () => {
    expect(() => createAlgorithm('peak_ewma')).toThrow(InvalidAlgorithmOptionError);
    expect(() => createAlgorithm('adaptive', { adaptive: { highLoad: -1 } })).toThrow(/adaptive.highLoad/);
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
