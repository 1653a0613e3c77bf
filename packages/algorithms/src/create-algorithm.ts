import { Adaptive, DEFAULT_ADAPTIVE_THRESHOLDS } from './adaptive.js';
import { InvalidAlgorithmOptionError, UnknownAlgorithmError } from './errors.js';
import { IpHash } from './ip-hash.js';
import { LeastConnections } from './least-connections.js';
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
 * @throws InvalidAlgorithmOptionError for options that cannot work (peak_ewma without a clock)
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
      if (options.now === undefined) {
        throw new InvalidAlgorithmOptionError('now', 'peak_ewma needs a clock, for example { now: () => performance.now() }');
      }
      return new PeakEwma(random(), options.now, options.decayTime ?? 10_000);
    case 'adaptive':
      return new Adaptive(adaptiveThresholds(options.adaptive));
  }
}

function adaptiveThresholds(overrides: Partial<AdaptiveThresholds> = {}): AdaptiveThresholds {
  const thresholds = { ...DEFAULT_ADAPTIVE_THRESHOLDS, ...overrides };
  for (const [key, value] of Object.entries(thresholds)) {
    if (!(value > 0 && Number.isFinite(value))) {
      throw new InvalidAlgorithmOptionError(`adaptive.${key}`, `must be a positive finite number, got ${value}`);
    }
  }
  return thresholds;
}
