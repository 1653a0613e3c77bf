import { createRandom } from '../random-source.js';
import { ALGORITHM_NAMES } from '../types.js';
import { type AlgorithmPlugin, MAX_PLUGIN_GAUGES, PLUGIN_NAME_PATTERN, type PluginAlgorithm } from './algorithm-plugin.js';
import { AlgorithmPluginError } from './algorithm-plugin-error.js';

const NAME_RULE = 'a lower-case letter, then up to 39 lower-case letters, digits or _';

/**
 * The plugin a module exports (its default export, or `algorithm`), checked: the shape,
 * a wire name that no built-in and no plugin in `taken` has, the declared gauges, and one
 * instance built and asked for a pick, so that a broken module stops the start that loads
 * it rather than the first request that uses it.
 * @param source the module as named to the loader, for the error
 * @param taken wire names of the plugins loaded before this one
 * @throws AlgorithmPluginError naming the module and what is wrong
 */
export function checkAlgorithmPlugin(moduleExports: unknown, source: string, taken: readonly string[] = []): AlgorithmPlugin {
  const fail: (problem: string, cause?: unknown) => never = (problem, cause) => {
    throw new AlgorithmPluginError(source, problem, cause === undefined ? undefined : { cause });
  };
  const exports = (moduleExports ?? {}) as Record<string, unknown>;
  const candidate = [exports.default, exports.algorithm].find((value) => typeof value === 'object' && value !== null && 'create' in value);
  if (candidate === undefined) {
    return fail('exports no algorithm: expected a default export (or one named `algorithm`) like defineAlgorithm({ name, create })');
  }
  const plugin = candidate as Partial<Record<keyof AlgorithmPlugin, unknown>>;
  const { name } = plugin;
  if (typeof name !== 'string' || !PLUGIN_NAME_PATTERN.test(name)) return fail(`name ${JSON.stringify(name)} is not a wire name: ${NAME_RULE}`);
  if ((ALGORITHM_NAMES as readonly string[]).includes(name)) return fail(`name "${name}" is a built-in algorithm's; choose another`);
  if (taken.includes(name)) return fail(`name "${name}" is already taken by another algorithm module`);
  if (typeof plugin.create !== 'function') return fail(`create is ${typeof plugin.create}, not a function returning the algorithm`);
  if (plugin.description !== undefined && typeof plugin.description !== 'string') return fail('description must be a string');
  if (plugin.loadAware !== undefined && typeof plugin.loadAware !== 'boolean') return fail('loadAware must be true or false');
  const gauges = checkGauges(plugin.gauges, fail);
  tryOnce(plugin as AlgorithmPlugin, gauges, fail);
  return plugin as AlgorithmPlugin;
}

function checkGauges(gauges: unknown, fail: (problem: string) => never): readonly string[] {
  if (gauges === undefined) return [];
  if (!Array.isArray(gauges)) return fail('gauges must be an array of gauge names');
  if (gauges.length > MAX_PLUGIN_GAUGES) return fail(`declares ${gauges.length} gauges; at most ${MAX_PLUGIN_GAUGES}`);
  for (const gauge of gauges) {
    if (typeof gauge !== 'string' || !PLUGIN_NAME_PATTERN.test(gauge)) return fail(`gauge name ${JSON.stringify(gauge)} is not valid: ${NAME_RULE}`);
  }
  if (new Set(gauges).size !== gauges.length) return fail('declares a gauge name twice');
  return gauges as string[];
}

/** One instance, the way every caller builds it, asked to pick from no server and from two. */
function tryOnce(plugin: AlgorithmPlugin, gauges: readonly string[], fail: (problem: string, cause?: unknown) => never): void {
  let instance: PluginAlgorithm;
  try {
    instance = plugin.create({ random: createRandom(1), seed: 1, now: () => 0 });
  } catch (error) {
    fail(`create() threw: ${(error as Error)?.message ?? String(error)}`, error);
  }
  if (typeof instance !== 'object' || instance === null) fail(`create() returned ${instance === null ? 'null' : typeof instance}, not an algorithm`);
  if (typeof instance.pick !== 'function' || typeof instance.observe !== 'function') fail('create() returned an object without pick() and observe()');
  if (instance.name !== plugin.name) fail(`create() returned an algorithm named ${JSON.stringify(instance.name)}, not "${plugin.name}"`);
  if (gauges.length > 0 && typeof instance.gauges !== 'function') fail('declares gauges but its algorithm has no gauges() method');
  const servers = [{ id: 'check-a:1' }, { id: 'check-b:1' }];
  let none: unknown;
  let picked: unknown;
  try {
    none = instance.pick([]);
    picked = instance.pick(servers, '192.0.2.1');
  } catch (error) {
    fail(`pick() threw: ${(error as Error)?.message ?? String(error)}`, error);
  }
  if (none !== undefined) fail('pick([]) must return undefined when there is no server');
  if (!servers.includes(picked as (typeof servers)[number])) fail('pick() returned something that is not one of the servers it was given');
  if (typeof instance.lastUsed !== 'string') fail('lastUsed must be a string (its own name)');
}
