import { describe, expect, it } from 'vitest';
import { InvalidAlgorithmOptionError } from '../errors.js';
import { DEFAULT_DYNAMIC_WEIGHTS_OPTIONS, DEFAULT_PREQUAL_OPTIONS, resolveDynamicWeightsOptions, resolvePrequalOptions } from './options.js';

function error(fn: () => unknown): InvalidAlgorithmOptionError {
  try {
    fn();
  } catch (caught) {
    return caught as InvalidAlgorithmOptionError;
  }
  throw new Error('did not throw');
}

describe('load-aware options', () => {
  it('defaults to the papers values and applies overrides', () => {
    expect(resolvePrequalOptions()).toEqual({ poolSize: 16, maxAge: 1_000, hotQuantile: 0.84, latencyDecay: 1_000 });
    expect(resolvePrequalOptions({ hotQuantile: 0.9 }).hotQuantile).toBe(0.9);
    expect(resolveDynamicWeightsOptions()).toEqual(DEFAULT_DYNAMIC_WEIGHTS_OPTIONS);
    expect(resolveDynamicWeightsOptions({ blackoutPeriod: 0, weightExpiration: Number.POSITIVE_INFINITY })).toMatchObject({
      blackoutPeriod: 0,
      weightExpiration: Number.POSITIVE_INFINITY,
    });
    expect(Object.isFrozen(DEFAULT_PREQUAL_OPTIONS)).toBe(true);
  });

  it.each([
    [() => resolvePrequalOptions({ poolSize: 0 }), 'prequal.poolSize', /integer >= 1, got 0/],
    [() => resolvePrequalOptions({ poolSize: 2.5 }), 'prequal.poolSize', /got 2.5/],
    [() => resolvePrequalOptions({ maxAge: -1 }), 'prequal.maxAge', /positive finite number, got -1/],
    [() => resolvePrequalOptions({ hotQuantile: 1.5 }), 'prequal.hotQuantile', /from 0 to 1, got 1.5/],
    [() => resolvePrequalOptions({ latencyDecay: Number.NaN }), 'prequal.latencyDecay', /got NaN/],
    [
      () => resolvePrequalOptions({ hotquantile: 0.9 } as never),
      'prequal.hotquantile',
      /unknown option; valid options: poolSize, maxAge, hotQuantile, latencyDecay/,
    ],
    [() => resolveDynamicWeightsOptions({ blackoutPeriod: -5 }), 'dynamicWeights.blackoutPeriod', /finite number >= 0, got -5/],
    [() => resolveDynamicWeightsOptions({ weightExpiration: 0 }), 'dynamicWeights.weightExpiration', /positive number/],
    [() => resolveDynamicWeightsOptions({ weightUpdatePeriod: Number.POSITIVE_INFINITY }), 'dynamicWeights.weightUpdatePeriod', /got Infinity/],
    [() => resolveDynamicWeightsOptions({ errorUtilizationPenalty: -1 }), 'dynamicWeights.errorUtilizationPenalty', /got -1/],
    [() => resolveDynamicWeightsOptions({ qpsSource: 'guessed' as never }), 'dynamicWeights.qpsSource', /one of auto, reported, observed, got "guessed"/],
    [() => resolveDynamicWeightsOptions({ qpsWindow: 0 }), 'dynamicWeights.qpsWindow', /got 0/],
  ])('rejects a bad value naming the option (%#)', (fn, option, message) => {
    const caught = error(fn);
    expect(caught).toBeInstanceOf(InvalidAlgorithmOptionError);
    expect(caught.option).toBe(option);
    expect(caught.message).toMatch(message);
  });
});
