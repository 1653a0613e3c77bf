import type { AlgorithmPlugin } from './algorithm-plugin.js';
import { AlgorithmPluginError } from './algorithm-plugin-error.js';
import { checkAlgorithmPlugin } from './check-algorithm-plugin.js';

export interface LoadAlgorithmPluginsOptions {
  /** Where relative paths start: a directory's URL with its trailing slash (the caller's `pathToFileURL(process.cwd() + '/')`). */
  readonly base: URL | string;
  /**
   * Imports a package name (a bare specifier). Pass your own `(specifier) => import(specifier)`
   * so that packages resolve from your node_modules; by default they resolve from this package's.
   */
  readonly importModule?: (specifier: string) => Promise<unknown>;
}

/**
 * Imports each module (a path relative to `base`, an absolute path, a `file:` URL, or a
 * package name), in order, and checks the plugin each exports (`checkAlgorithmPlugin`),
 * names included: the second module to claim a name is refused.
 * @throws AlgorithmPluginError naming the first module that cannot be used, and why
 */
export async function loadAlgorithmPlugins(specifiers: readonly string[], options: LoadAlgorithmPluginsOptions): Promise<AlgorithmPlugin[]> {
  const importModule = options.importModule ?? ((specifier: string) => import(specifier));
  const plugins: AlgorithmPlugin[] = [];
  for (const specifier of specifiers) {
    const isPath = specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/') || specifier.startsWith('file:');
    let exports: unknown;
    try {
      exports = await (isPath ? import(new URL(specifier, options.base).href) : importModule(specifier));
    } catch (error) {
      throw new AlgorithmPluginError(specifier, `cannot be loaded: ${(error as Error)?.message ?? String(error)}`, { cause: error });
    }
    plugins.push(
      checkAlgorithmPlugin(
        exports,
        specifier,
        plugins.map((plugin) => plugin.name),
      ),
    );
  }
  return plugins;
}
