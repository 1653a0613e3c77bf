import { pathToFileURL } from 'node:url';
import { type AlgorithmPlugin, AlgorithmPluginError, loadAlgorithmPlugins } from '@lbpoc/algorithms';
import { UsageError } from './cli-args.js';
import { ORACLE_NAME } from './policy.js';

/**
 * The CLI's `--algorithm-module`s, loaded and checked by `loadAlgorithmPlugins` as the
 * balancer loads `ALGORITHM_MODULES`: paths from `cwd`, package names from this package's
 * node_modules. A module that cannot be used is the command line's mistake, so it is a
 * UsageError carrying the loader's message, which names the module and the problem.
 * @throws UsageError
 */
export async function loadCliPlugins(modules: readonly string[], cwd: string): Promise<AlgorithmPlugin[]> {
  if (modules.length === 0) return [];
  let plugins: AlgorithmPlugin[];
  try {
    plugins = await loadAlgorithmPlugins(modules, { base: pathToFileURL(`${cwd}/`), importModule: (specifier) => import(specifier) });
  } catch (error) {
    if (error instanceof AlgorithmPluginError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
  // The loader refuses the built-in algorithms' names; the oracle's is the simulator's own.
  plugins.forEach((plugin, index) => {
    if (plugin.name === ORACLE_NAME) {
      throw new UsageError(new AlgorithmPluginError(modules[index]!, `name "${ORACLE_NAME}" is the simulator's reference policy's; choose another`).message);
    }
  });
  return plugins;
}
