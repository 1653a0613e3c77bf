export { Adaptive, DEFAULT_ADAPTIVE_THRESHOLDS, decideAdaptive } from './adaptive.js';
export { createAlgorithm, isAlgorithmName, parseAlgorithmName } from './create-algorithm.js';
export { InvalidAlgorithmOptionError, UnknownAlgorithmError } from './errors.js';
export { IpHash } from './ip-hash.js';
export { LeastConnections } from './least-connections.js';
export { DynamicWeights } from './load-aware/dynamic-weights.js';
export { isLoadAware } from './load-aware/is-load-aware.js';
export { DEFAULT_DYNAMIC_WEIGHTS_OPTIONS, DEFAULT_PREQUAL_OPTIONS } from './load-aware/options.js';
export { Prequal } from './load-aware/prequal.js';
export { PeakEwma } from './peak-ewma.js';
export { type AlgorithmPlugin, defineAlgorithm, MAX_PLUGIN_GAUGES, PLUGIN_NAME_PATTERN, type PluginAlgorithm } from './plugins/algorithm-plugin.js';
export { AlgorithmPluginError } from './plugins/algorithm-plugin-error.js';
export { checkAlgorithmPlugin } from './plugins/check-algorithm-plugin.js';
export { type GuardOptions, guardPluginAlgorithm, PLUGIN_FAULTS, type PluginFault, type PluginFaultKind } from './plugins/guard-plugin-algorithm.js';
export { type LoadAlgorithmPluginsOptions, loadAlgorithmPlugins } from './plugins/load-algorithm-plugins.js';
export { PowerOfTwoChoices } from './power-of-two-choices.js';
export { WeightedRandom } from './random.js';
export { createRandom } from './random-source.js';
export { RoundRobin } from './round-robin.js';
export { inFlightOf, weightOf } from './server-load.js';
export { SmoothWeightedRoundRobin } from './smooth-weighted-round-robin.js';
export {
  type AdaptiveChoice,
  type AdaptiveDecision,
  type AdaptiveLatency,
  type AdaptiveRule,
  type AdaptiveThresholds,
  ALGORITHM_NAMES,
  type Algorithm,
  type AlgorithmName,
  type AlgorithmOptions,
  type DynamicWeightsInsight,
  type DynamicWeightsOptions,
  type LoadAwareAlgorithm,
  type LoadInsight,
  type LoadReport,
  type LoadSource,
  type PrequalInsight,
  type PrequalOptions,
  type Server,
} from './types.js';
