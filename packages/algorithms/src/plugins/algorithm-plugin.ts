import type { Algorithm, AlgorithmOptions } from '../types.js';

/**
 * An algorithm from outside this package: a module exports one (as its default export, or
 * as `algorithm`), and the balancer, the simulator and `pnpm compare` load it by path at
 * start and serve it under its own wire name (`?algo=<name>`), beside the built-in ones.
 * Write it with `defineAlgorithm` for the types; `checkAlgorithmPlugin` is what the
 * loaders hold it to.
 */
export interface AlgorithmPlugin {
  /** Its wire name (`PLUGIN_NAME_PATTERN`: lower-case letters, digits and `_`), unlike any built-in or other plugin's. */
  readonly name: string;
  /** One line for listings (the balancer's start log, the simulator's report). */
  readonly description?: string;
  /**
   * It reads `Server.load` (the backends' own reports): while it is in use, the balancer
   * probes the backends for their load, as it does for `prequal` and `dynamic_weights`.
   */
  readonly loadAware?: boolean;
  /**
   * The names of the numbers its instances report from `gauges()` (at most
   * `MAX_PLUGIN_GAUGES`, each `PLUGIN_NAME_PATTERN`). The balancer exports them as
   * `lbpoc_algorithm_gauge{algorithm, gauge}`; a name not declared here is ignored, so
   * the series stay bounded.
   */
  readonly gauges?: readonly string[];
  /**
   * A new, independent instance, given the same options as every built-in (`random`,
   * `seed`, `now` in ms). Its `name` and `lastUsed` are the plugin's `name`.
   */
  create(options: AlgorithmOptions): PluginAlgorithm;
}

/** What a plugin's `create` returns: an `Algorithm`, which may report numbers of its own. */
export interface PluginAlgorithm extends Algorithm {
  /** The current value of each gauge the plugin declares (read at every metrics scrape; keep it cheap). */
  gauges?(): Readonly<Record<string, number>>;
}

/** Wire names of plugins and of their gauges: what fits a URL query and a Prometheus label unescaped. */
export const PLUGIN_NAME_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;

/** Most gauges one plugin may declare: each is a series per balancer, and a scrape reads them all. */
export const MAX_PLUGIN_GAUGES = 16;

/** The identity function, typed: `export default defineAlgorithm({ name, create })` checks the shape in the editor. */
export function defineAlgorithm<P extends AlgorithmPlugin>(plugin: P): P {
  return plugin;
}
