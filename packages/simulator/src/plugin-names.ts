import type { AlgorithmPlugin } from '@lbpoc/algorithms';
import { POLICY_NAMES } from './policy.js';

/**
 * Checks that every plugin can be told apart by name from the built-in policies and from
 * each other: a run and a report name each policy once. `checkAlgorithmPlugin` already
 * refuses the built-in algorithms' names; the oracle's is the simulator's own, and plugins
 * handed straight to the API were never checked at all.
 * @throws RangeError naming the plugin and the clash
 */
export function checkPluginNames(plugins: readonly AlgorithmPlugin[]): void {
  const seen = new Set<string>();
  for (const plugin of plugins) {
    const name: unknown = plugin?.name;
    if (typeof name !== 'string' || name === '') throw new RangeError(`plugin name ${JSON.stringify(name)} must be a non-empty string`);
    if ((POLICY_NAMES as readonly string[]).includes(name)) {
      throw new RangeError(`plugin name "${name}" is a built-in policy's; a plugin needs a name other than ${POLICY_NAMES.join(', ')}`);
    }
    if (seen.has(name)) throw new RangeError(`plugin name "${name}" is given twice; each plugin needs its own name`);
    seen.add(name);
  }
}
