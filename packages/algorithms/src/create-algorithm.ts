import { Adaptive, DEFAULT_ADAPTIVE_THRESHOLDS } from './adaptive.js';
import { InvalidAlgorithmOptionError, UnknownAlgorithmError } from './errors.js';
import { IpHash } from './ip-hash.js';
import { LeastConnections } from './least-connections.js';
import { DynamicWeights } from './load-aware/dynamic-weights.js';
import { Prequal } from './load-aware/prequal.js';
import { PeakEwma } from './peak-ewma.js';
import { PowerOfTwoChoices } from './power-of-two-choices.js';
import { WeightedRandom } from './random.js';
import { createRandom } from './random-source.js';
import { RoundRobin } from './round-robin.js';
import { SmoothWeightedRoundRobin } from './smooth-weighted-round-robin.js';
import { type AdaptiveThresholds, ALGORITHM_NAMES, type Algorithm, type AlgorithmName, type AlgorithmOptions } from './types.js';

/** True for exactly the wire names in `ALGORITHM_NAMES`. */
export function isAlgorithmName(value: unknown): value is AlgorithmName {
  return typeof value === 'string' && (ALGORITHM_NAMES as readonly string[]).includes(value);
}

/** Returns `value` as an algorithm name, or throws `UnknownAlgorithmError` listing the valid ones. */
export function parseAlgorithmName(value: unknown): AlgorithmName {
  if (!isAlgorithmName(value)) throw new UnknownAlgorithmError(value);
  return value;
}

/**
 * A new, independent instance of the algorithm with this wire name.
 * @throws UnknownAlgorithmError for a name not in `ALGORITHM_NAMES`
 * @throws InvalidAlgorithmOptionError for options that cannot work (peak_ewma, prequal or
 *   dynamic_weights without a clock; thresholds or parameters out of range, naming the option)
 */
export function createAlgorithm(name: string, options: AlgorithmOptions = {}): Algorithm {
  const algorithm = parseAlgorithmName(name);
  const random = () => options.random ?? createRandom(options.seed ?? 1);
  switch (algorithm) {
    case 'round_robin':
      return new RoundRobin();
    case 'weighted_round_robin':
      return new SmoothWeightedRoundRobin();
    case 'least_connections':
      return new LeastConnections();
    case 'ip_hash':
      return new IpHash();
    case 'random':
      return new WeightedRandom(random());
    case 'p2c':
      return new PowerOfTwoChoices(random());
    case 'peak_ewma':
      return new PeakEwma(random(), clock('peak_ewma', options.now), options.decayTime ?? 10_000);
    case 'adaptive':
      // Without a clock adaptive still works, on the seed tree alone (see `Adaptive`).
      return new Adaptive(adaptiveThresholds(options.adaptive), typeof options.now === 'function' ? options.now : undefined, random(), options.prequal);
    case 'prequal':
      return new Prequal(random(), clock('prequal', options.now), options.prequal);
    case 'dynamic_weights':
      return new DynamicWeights(clock('dynamic_weights', options.now), options.dynamicWeights);
  }
}

function clock(algorithm: AlgorithmName, now: (() => number) | undefined): () => number {
  if (typeof now !== 'function') {
    throw new InvalidAlgorithmOptionError('now', `${algorithm} needs a clock, for example { now: () => performance.now() }`);
  }
  return now;
}

/** The defaults with `overrides` applied, each checked. @throws InvalidAlgorithmOptionError naming the option */
function adaptiveThresholds(overrides: Partial<AdaptiveThresholds> = {}): AdaptiveThresholds {
  for (const key of Object.keys(overrides)) {
    if (!(key in DEFAULT_ADAPTIVE_THRESHOLDS)) {
      throw new InvalidAlgorithmOptionError(`adaptive.${key}`, `unknown option; valid options: ${Object.keys(DEFAULT_ADAPTIVE_THRESHOLDS).join(', ')}`);
    }
  }
  const thresholds: AdaptiveThresholds = { ...DEFAULT_ADAPTIVE_THRESHOLDS };
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) (thresholds as unknown as Record<string, unknown>)[key] = value;
  for (const [key, value] of Object.entries(thresholds)) {
    if (!(typeof value === 'number' && value > 0 && Number.isFinite(value))) {
      throw new InvalidAlgorithmOptionError(`adaptive.${key}`, `must be a positive finite number, got ${value}`);
    }
  }
  const { reportCoverage, latencySpread, latencyMinSamples, latencyWindow } = thresholds;
  if (reportCoverage > 1) throw new InvalidAlgorithmOptionError('adaptive.reportCoverage', `must be a fraction in (0, 1], got ${reportCoverage}`);
  if (!(latencySpread > 1)) throw new InvalidAlgorithmOptionError('adaptive.latencySpread', `must be a ratio above 1, got ${latencySpread}`);
  for (const [key, value] of [
    ['latencyMinSamples', latencyMinSamples],
    ['latencyWindow', latencyWindow],
  ] as const) {
    if (!Number.isInteger(value)) throw new InvalidAlgorithmOptionError(`adaptive.${key}`, `must be an integer >= 1, got ${value}`);
  }
  return thresholds;
}
