import { pathToFileURL } from 'node:url';
import { ALGORITHM_NAMES, type AlgorithmPlugin, AlgorithmPluginError, loadAlgorithmPlugins } from '@lbpoc/algorithms';
import { ConfigError } from '@lbpoc/service-kit';
import type { BalancerConfig } from '../config/config.js';

/**
 * The algorithm plugins of `ALGORITHM_MODULES`, imported and checked (paths start from the
 * working directory; package names resolve from the balancer's own node_modules), and
 * `DEFAULT_ALGORITHM` checked against every name. Every thread that serves traffic loads
 * them itself: a plugin's instances are per thread, like the built-in algorithms'.
 * @throws ConfigError naming `ALGORITHM_MODULES` (the module and what is wrong with it) or `DEFAULT_ALGORITHM`
 */
export async function loadAlgorithmModules(config: Pick<BalancerConfig, 'algorithmModules' | 'defaultAlgorithm'>): Promise<AlgorithmPlugin[]> {
  if (config.algorithmModules.length === 0) return []; // DEFAULT_ALGORITHM was checked against the built-in names already
  let plugins: AlgorithmPlugin[];
  try {
    plugins = await loadAlgorithmPlugins(config.algorithmModules, {
      base: pathToFileURL(`${process.cwd()}/`),
      importModule: (specifier) => import(specifier),
    });
  } catch (error) {
    if (!(error instanceof AlgorithmPluginError)) throw error;
    throw new ConfigError([{ variable: 'ALGORITHM_MODULES', value: error.source, allowed: error.problem }]);
  }
  const names = [...ALGORITHM_NAMES, ...plugins.map((plugin) => plugin.name)];
  if (!names.includes(config.defaultAlgorithm)) {
    throw new ConfigError([{ variable: 'DEFAULT_ALGORITHM', value: config.defaultAlgorithm, allowed: `one of ${names.join(', ')}` }]);
  }
  return plugins;
}
