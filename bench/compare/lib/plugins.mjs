/**
 * `--algorithm-module`: algorithm plugins, loaded here before anything starts so that a
 * bad module fails at once, naming it, rather than as a balancer that will not start; then
 * handed to the balancers (ALGORITHM_MODULES) and to the simulator's prediction.
 */
import { pathToFileURL } from 'node:url';
import { loadAlgorithmPlugins } from '@lbpoc/algorithms';
import { ALGORITHMS } from './options.mjs';

/**
 * Imports and checks the modules (absolute paths, as `parseOptions` gives them), as the
 * balancer will: `loadAlgorithmPlugins` refuses a module that does not load, exports no
 * plugin, breaks a rule, or takes a name already taken.
 * @throws AlgorithmPluginError naming the module and what is wrong
 */
export async function loadPlugins(modules) {
  if (modules.length === 0) return [];
  return loadAlgorithmPlugins(modules, { base: pathToFileURL(`${process.cwd()}/`) });
}

/**
 * The options with the plugins' names among the algorithms compared: where `--algorithms`
 * put them, or else after the others, so each is run interleaved like the rest.
 * @throws Error for an `--algorithms` name that is neither built in nor a plugin's
 */
export function withPlugins(options, plugins) {
  const names = plugins.map((plugin) => plugin.name);
  const unknown = options.algorithms.filter((a) => !ALGORITHMS.includes(a) && !names.includes(a));
  if (unknown.length > 0) throw new Error(`--algorithms: unknown ${JSON.stringify(unknown)}; choose from ${[...ALGORITHMS, ...names].join(', ')}`);
  return { ...options, algorithms: [...options.algorithms, ...names.filter((name) => !options.algorithms.includes(name))] };
}

/** What the balancer processes need to serve the plugins: their modules, by absolute path. */
export function pluginEnv(modules) {
  return modules.length === 0 ? {} : { ALGORITHM_MODULES: modules.join(',') };
}
