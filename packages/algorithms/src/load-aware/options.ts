import { InvalidAlgorithmOptionError } from '../errors.js';
import type { DynamicWeightsOptions, PrequalOptions } from '../types.js';

/** prequal's defaults: the paper's pool of 16, ~1 s probe lifetime and 0.84 quantile; times in ms. */
export const DEFAULT_PREQUAL_OPTIONS: PrequalOptions = Object.freeze({
  poolSize: 16,
  maxAge: 1_000,
  hotQuantile: 0.84,
  latencyDecay: 1_000,
});

/** dynamic_weights' defaults: gRPC A58's (blackout 10 s, expiry 3 min, update 1 s, penalty 1); times in ms. */
export const DEFAULT_DYNAMIC_WEIGHTS_OPTIONS: DynamicWeightsOptions = Object.freeze({
  blackoutPeriod: 10_000,
  weightExpiration: 180_000,
  weightUpdatePeriod: 1_000,
  errorUtilizationPenalty: 1,
  qpsSource: 'auto',
  qpsWindow: 1_000,
});

const QPS_SOURCES: readonly string[] = ['auto', 'reported', 'observed'];

/** The defaults with `overrides` applied, each checked. @throws InvalidAlgorithmOptionError naming the option */
export function resolvePrequalOptions(overrides: Partial<PrequalOptions> = {}): PrequalOptions {
  const options = withDefaults('prequal', DEFAULT_PREQUAL_OPTIONS, overrides);
  check('prequal.poolSize', options.poolSize, Number.isInteger(options.poolSize) && options.poolSize >= 1, 'must be an integer >= 1');
  positive('prequal.maxAge', options.maxAge);
  check(
    'prequal.hotQuantile',
    options.hotQuantile,
    typeof options.hotQuantile === 'number' && options.hotQuantile >= 0 && options.hotQuantile <= 1,
    'must be a number from 0 to 1',
  );
  positive('prequal.latencyDecay', options.latencyDecay);
  return options;
}

/** The defaults with `overrides` applied, each checked. @throws InvalidAlgorithmOptionError naming the option */
export function resolveDynamicWeightsOptions(overrides: Partial<DynamicWeightsOptions> = {}): DynamicWeightsOptions {
  const options = withDefaults('dynamicWeights', DEFAULT_DYNAMIC_WEIGHTS_OPTIONS, overrides);
  nonNegative('dynamicWeights.blackoutPeriod', options.blackoutPeriod);
  check(
    'dynamicWeights.weightExpiration',
    options.weightExpiration,
    typeof options.weightExpiration === 'number' && options.weightExpiration > 0,
    'must be a positive number (Infinity: never expire)',
  );
  nonNegative('dynamicWeights.weightUpdatePeriod', options.weightUpdatePeriod);
  nonNegative('dynamicWeights.errorUtilizationPenalty', options.errorUtilizationPenalty);
  check('dynamicWeights.qpsSource', options.qpsSource, QPS_SOURCES.includes(options.qpsSource), `must be one of ${QPS_SOURCES.join(', ')}`);
  positive('dynamicWeights.qpsWindow', options.qpsWindow);
  return options;
}

/** Defaults plus overrides; an unknown key (a typo) is an error rather than silently ignored. */
function withDefaults<T extends object>(group: string, defaults: T, overrides: Partial<T>): T {
  for (const key of Object.keys(overrides)) {
    if (!(key in defaults)) {
      throw new InvalidAlgorithmOptionError(`${group}.${key}`, `unknown option; valid options: ${Object.keys(defaults).join(', ')}`);
    }
  }
  const options = { ...defaults };
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) (options as Record<string, unknown>)[key] = value;
  return options;
}

function positive(option: string, value: number): void {
  check(option, value, value > 0 && Number.isFinite(value), 'must be a positive finite number');
}

function nonNegative(option: string, value: number): void {
  check(option, value, value >= 0 && Number.isFinite(value), 'must be a finite number >= 0');
}

function check(option: string, value: unknown, ok: boolean, requirement: string): void {
  if (!ok) throw new InvalidAlgorithmOptionError(option, `${requirement}, got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`);
}
