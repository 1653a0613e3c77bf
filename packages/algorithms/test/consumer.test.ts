/**
 * The published artifact, tested as a user receives it: `pnpm pack`, install the tarball
 * into a throwaway project outside the workspace, then `import` (ESM), `require` (CJS) and
 * type-check a TypeScript consumer under both module systems.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
let project: string;

function run(file: string, args: string[], cwd: string): string {
  return execFileSync(file, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'lbpoc-consumer-'));
  run('pnpm', ['pack', '--pack-destination', project], packageDir);
  const tarball = readdirSync(project).find((file) => file.endsWith('.tgz'))!;
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  // npm, not pnpm: a plain consumer outside the workspace. The package has no dependencies, so this needs no registry.
  run('npm', ['install', '--no-audit', '--no-fund', '--offline', `./${tarball}`], project);
}, 120_000);

afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('@lbpoc/algorithms as installed from its tarball', () => {
  it('ships only dist, README, LICENSE and package.json', () => {
    const files = readdirSync(join(project, 'node_modules/@lbpoc/algorithms'), { recursive: true }) as string[];
    expect(files.filter((f) => !/^(dist|dist\/.*|README\.md|LICENSE|package\.json)$/.test(f))).toEqual([]);
  });

  it('imports as ESM', () => {
    writeFileSync(
      join(project, 'esm.mjs'),
      `import { createAlgorithm, ALGORITHM_NAMES } from '@lbpoc/algorithms';
       const rr = createAlgorithm('round_robin');
       const servers = [{ id: 'a' }, { id: 'b' }];
       console.log(ALGORITHM_NAMES.length, rr.pick(servers).id, rr.pick(servers).id);`,
    );
    expect(run(process.execPath, ['esm.mjs'], project).trim()).toBe('8 a b');
  });

  it('requires as CJS', () => {
    writeFileSync(
      join(project, 'cjs.cjs'),
      `const { createAlgorithm, UnknownAlgorithmError } = require('@lbpoc/algorithms');
       try { createAlgorithm('nope'); } catch (e) { console.log(e instanceof UnknownAlgorithmError, e.code); }`,
    );
    expect(run(process.execPath, ['cjs.cjs'], project).trim()).toBe('true ERR_UNKNOWN_ALGORITHM');
  });

  it('runs the README example as written', () => {
    const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
    const example = /```js\n([\s\S]*?)```/.exec(readme)![1]!;
    writeFileSync(join(project, 'readme.mjs'), example);
    expect(run(process.execPath, ['readme.mjs'], project).trim().split('\n')).toEqual(['1 1 2 1 3 1 1', 'true']);
  });

  it.each(['esm', 'cjs'])('type-checks a TypeScript consumer (%s)', (flavour) => {
    const dir = join(project, flavour);
    const source = `import { createAlgorithm, type Algorithm, type Server } from '@lbpoc/algorithms';
      const servers: Server[] = [{ id: 'a', weight: 2 }, { id: 'b' }];
      const algorithm: Algorithm = createAlgorithm('weighted_round_robin');
      const picked: Server | undefined = algorithm.pick(servers);
      // @ts-expect-error weight must be a number
      const bad: Server = { id: 'c', weight: 'heavy' };
      export { picked, bad };`;
    run('mkdir', ['-p', dir], project);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: flavour === 'esm' ? 'module' : 'commonjs' }));
    writeFileSync(join(dir, 'consumer.ts'), source);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', noEmit: true, types: [] }, files: ['consumer.ts'] }),
    );
    expect(() => run(process.execPath, [tsc, '-p', dir], project)).not.toThrow();
  });
});
