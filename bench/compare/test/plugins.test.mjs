import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ALGORITHMS, parseOptions } from '../lib/options.mjs';
import { loadPlugins, pluginEnv, withPlugins } from '../lib/plugins.mjs';

const EXAMPLES = fileURLToPath(new URL('../../../examples/least-time/', import.meta.url));
const LEAST_TIME = `${EXAMPLES}least-time.ts`;

describe('--algorithm-module', () => {
  it('turns each path into an absolute one, from where the command was typed', () => {
    const options = parseOptions(['--algorithm-module', './least-time.ts', '--algorithm-module', '/opt/lb/b.mjs'], { cwd: EXAMPLES });
    expect(options.algorithmModules).toEqual([LEAST_TIME, '/opt/lb/b.mjs']);
    expect(parseOptions([]).algorithmModules).toEqual([]);
  });

  it('refuses an empty path, a comma in a path and the same module twice, naming them', () => {
    expect(() => parseOptions(['--algorithm-module', ''])).toThrow('--algorithm-module needs a path');
    expect(() => parseOptions(['--algorithm-module', '/a,b.mjs'])).toThrow('--algorithm-module "/a,b.mjs": the path cannot contain a comma');
    expect(() => parseOptions(['--algorithm-module', LEAST_TIME, '--algorithm-module', LEAST_TIME])).toThrow('--algorithm-module: each module once');
  });

  it('puts the plugin among the algorithms compared: after the others, or where --algorithms names it', async () => {
    const plugins = await loadPlugins([LEAST_TIME]);
    expect(plugins.map((plugin) => plugin.name)).toEqual(['least_time']);
    const appended = withPlugins(parseOptions(['--algorithms', 'round_robin,p2c', '--algorithm-module', LEAST_TIME]), plugins);
    expect(appended.algorithms).toEqual(['round_robin', 'p2c', 'least_time']);
    const placed = withPlugins(parseOptions(['--algorithms', 'least_time,round_robin', '--algorithm-module', LEAST_TIME]), plugins);
    expect(placed.algorithms).toEqual(['least_time', 'round_robin']);
    expect(withPlugins(parseOptions(['--algorithm-module', LEAST_TIME]), plugins).algorithms).toEqual([...ALGORITHMS, 'least_time']);
    expect(pluginEnv([LEAST_TIME])).toEqual({ ALGORITHM_MODULES: LEAST_TIME });
    expect(pluginEnv([])).toEqual({});
  });

  it('refuses an --algorithms name that is neither built in nor a plugin’s, listing both', async () => {
    const plugins = await loadPlugins([LEAST_TIME]);
    expect(() => withPlugins(parseOptions(['--algorithms', 'least_tme', '--algorithm-module', LEAST_TIME]), plugins)).toThrow(
      /--algorithms: unknown \["least_tme"\]; choose from round_robin,.*, least_time$/,
    );
    expect(() => parseOptions(['--algorithms', 'least_time'])).toThrow('--algorithms: unknown ["least_time"]');
  });

  it('refuses a module that cannot be used, naming it', async () => {
    await expect(loadPlugins(['/nonexistent/algorithm.mjs'])).rejects.toThrow('algorithm module "/nonexistent/algorithm.mjs": cannot be loaded');
  });
});
