/**
 * The published artifact, tested as a user receives it: `pnpm pack`, install the tarball
 * into a throwaway project outside the workspace, then `import` (ESM), `require` (CJS) and
 * type-check a TypeScript consumer under both module systems.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsumerProject, installPackedPackage, SHIPPABLE } from '../../../test-support/consumer-project.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
let project: ConsumerProject;

beforeAll(() => {
  project = installPackedPackage(packageDir, '@lbpoc/algorithms');
}, 120_000);

afterAll(() => project?.remove());

describe('@lbpoc/algorithms as installed from its tarball', () => {
  it('ships only dist, README, LICENSE and package.json', () => {
    expect(project.shippedFiles().filter((f) => !SHIPPABLE.test(f))).toEqual([]);
  });

  it('imports as ESM', () => {
    project.write(
      'esm.mjs',
      `import { createAlgorithm, ALGORITHM_NAMES } from '@lbpoc/algorithms';
       const rr = createAlgorithm('round_robin');
       const servers = [{ id: 'a' }, { id: 'b' }];
       console.log(ALGORITHM_NAMES.length, rr.pick(servers).id, rr.pick(servers).id);`,
    );
    expect(project.run(process.execPath, ['esm.mjs']).trim()).toBe('10 a b');
  });

  it('exports the documented API and no internals (the hashing behind ip_hash stays inside)', () => {
    project.write('names.mjs', `import * as algorithms from '@lbpoc/algorithms'; console.log(JSON.stringify(Object.keys(algorithms).sort()));`);
    expect(JSON.parse(project.run(process.execPath, ['names.mjs']))).toEqual([
      'ALGORITHM_NAMES',
      'Adaptive',
      'AlgorithmPluginError',
      'DEFAULT_ADAPTIVE_THRESHOLDS',
      'DEFAULT_DYNAMIC_WEIGHTS_OPTIONS',
      'DEFAULT_PREQUAL_OPTIONS',
      'DynamicWeights',
      'InvalidAlgorithmOptionError',
      'IpHash',
      'LeastConnections',
      'MAX_PLUGIN_GAUGES',
      'PLUGIN_FAULTS',
      'PLUGIN_NAME_PATTERN',
      'PeakEwma',
      'PowerOfTwoChoices',
      'Prequal',
      'RoundRobin',
      'SmoothWeightedRoundRobin',
      'UnknownAlgorithmError',
      'WeightedRandom',
      'checkAlgorithmPlugin',
      'createAlgorithm',
      'createRandom',
      'decideAdaptive',
      'defineAlgorithm',
      'guardPluginAlgorithm',
      'inFlightOf',
      'isAlgorithmName',
      'isLoadAware',
      'loadAlgorithmPlugins',
      'parseAlgorithmName',
      'weightOf',
    ]);
  });

  it('requires as CJS', () => {
    project.write(
      'cjs.cjs',
      `const { createAlgorithm, UnknownAlgorithmError } = require('@lbpoc/algorithms');
       try { createAlgorithm('nope'); } catch (e) { console.log(e instanceof UnknownAlgorithmError, e.code); }`,
    );
    expect(project.run(process.execPath, ['cjs.cjs']).trim()).toBe('true ERR_UNKNOWN_ALGORITHM');
  });

  it('loads an algorithm plugin by path, from ESM and from CJS', () => {
    project.write(
      'first.mjs',
      `export default { name: 'first_one', create: () => ({ name: 'first_one', lastUsed: 'first_one', pick: (s) => s[0], observe() {} }) };`,
    );
    const load = (require: string) => `${require}
      const { pathToFileURL } = require('node:url');
      loadAlgorithmPlugins(['./first.mjs'], { base: pathToFileURL(process.cwd() + '/') }).then(([plugin]) =>
        console.log(plugin.name, plugin.create({}).pick([{ id: 'a:1' }, { id: 'b:1' }]).id));`;
    project.write('load.cjs', load(`const { loadAlgorithmPlugins } = require('@lbpoc/algorithms');`));
    project.write(
      'load.mjs',
      load(
        `import { loadAlgorithmPlugins } from '@lbpoc/algorithms'; import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);`,
      ),
    );
    expect(project.run(process.execPath, ['load.cjs']).trim()).toBe('first_one a:1');
    expect(project.run(process.execPath, ['load.mjs']).trim()).toBe('first_one a:1');
  });

  it('runs the README example as written', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    project.write('readme.mjs', /```js\n([\s\S]*?)```/.exec(readme)![1]!);
    expect(project.run(process.execPath, ['readme.mjs']).trim().split('\n')).toEqual(['1 1 2 1 3 1 1', 'true']);
  });

  it('loads the README plugin example, as written, in a real Node (types stripped) and type-checks it', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!).find((code) => code.includes('satisfies AlgorithmPlugin'))!;
    project.write('first-one.ts', example);
    project.write(
      'load-ts.mjs',
      `import { loadAlgorithmPlugins } from '@lbpoc/algorithms'; import { pathToFileURL } from 'node:url';
       const [plugin] = await loadAlgorithmPlugins(['./first-one.ts'], { base: pathToFileURL(process.cwd() + '/') });
       const algorithm = plugin.create({});
       console.log(plugin.name, algorithm.pick([{ id: 'a:1', weight: 0 }, { id: 'b:1' }]).id, JSON.stringify(algorithm.gauges()));`,
    );
    expect(project.run(process.execPath, ['load-ts.mjs']).trim()).toBe('first_one b:1 {"picks":1}');
    expect(() => project.typecheck('esm', example)).not.toThrow();
  }, 60_000);

  it.each(['esm', 'cjs'] as const)(
    'type-checks a TypeScript consumer (%s)',
    (flavour) => {
      const source = `import { createAlgorithm, isLoadAware, type Algorithm, type LoadInsight, type Server } from '@lbpoc/algorithms';
      const servers: Server[] = [{ id: 'a', weight: 2 }, { id: 'b', load: { inFlight: 3, utilization: 0.5, receivedAt: 0 } }];
      const algorithm: Algorithm = createAlgorithm('weighted_round_robin');
      const picked: Server | undefined = algorithm.pick(servers);
      const prequal = createAlgorithm('prequal', { now: () => 0, prequal: { hotQuantile: 0.9 } });
      const insights: readonly LoadInsight[] = isLoadAware(prequal) ? prequal.inspect(servers) : [];
      // @ts-expect-error weight must be a number
      const bad: Server = { id: 'c', weight: 'heavy' };
      // @ts-expect-error a report needs receivedAt
      const stale: Server = { id: 'd', load: { inFlight: 1 } };
      export { picked, bad, insights, stale };`;
      expect(() => project.typecheck(flavour, source)).not.toThrow();
    },
    60_000,
  );
});
